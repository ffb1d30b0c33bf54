"""Pure computations of supervision (督导): the catalog file, indicator formulas, compliance status and trend
projection, league tables and laggards, validation rules of the base forms, the class/teacher what-if, and the
SVG charts of the 通报. No Django here: the app feeds these typed values and stores what they return."""
