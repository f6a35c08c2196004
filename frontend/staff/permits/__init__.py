"""The officers' side of e-permits: the permit department's queue and one application's
console (README, "E-permits"). The actions are the application's model methods; these
views parse, check who asks, call the method and answer."""
