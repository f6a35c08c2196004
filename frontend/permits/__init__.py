"""The applicants' side of e-permits (README, "E-permits"): the procedures and their terms,
the application form with its live pre-check, the tracking page a tracking code opens (with
withdrawal and the installation report), and a resident's own applications. The actions
are the application's model methods (geoportal.permits); these views parse, check who asks,
call them and answer."""
