"""FET files in and out: read FET 6.x (and 5.x) XML, solve it with CP-SAT, check it, write it back locked,
and write a 3+1+2 case as a FET file. Plain Python, no Django."""
