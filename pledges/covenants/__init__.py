"""The giao ước thi đua of a bloc (cụm, khối thi đua): the pledge and its signatures, the score
table and the giao ước scoring, the ranking and the bloc's award proposals. See docs/pledges.md."""
