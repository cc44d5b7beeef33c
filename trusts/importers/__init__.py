"""Parse the ODS files and the shipped organisation files into plain rows and errors.

No database access here: the caller hands in what must be known (region codes,
trust codes), and the services in trusts/services.py write what is parsed.
Every error names the line it comes from, so a bad row can be found and fixed.
The ODS register and its successions and the trusts' profiles are in register; the ICBs, and
each trust's ICB over time derived from them, in icbs.
"""
