---------------------------- MODULE CrossProduct ----------------------------
(* Regression: Rows and Cols appear only inside Rows \X Cols (SANY's $CartesianProd). *)
CONSTANTS Rows, Cols

VARIABLES marked   \* the cells marked so far

TypeOK == marked \subseteq (Rows \X Cols)

Init == marked = {}

Mark(p) == /\ p \notin marked
           /\ marked' = marked \cup {p}

Clear == /\ marked /= {}
         /\ marked' = {}

Next == (\E p \in Rows \X Cols : Mark(p)) \/ Clear
=============================================================================
