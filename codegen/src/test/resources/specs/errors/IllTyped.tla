------------------------------ MODULE IllTyped ------------------------------
(* A value of one kind where a construct needs another: refused where it is (TLC stops there), not a crash. *)
EXTENDS Naturals, FiniteSets
VARIABLES x
TypeOK == x \in 0..3
Init == x = 0
InNumber == /\ x \in 5
            /\ x' = x
CountNumber == /\ Cardinality(3) = 1
               /\ x' = x
ForallNumber == /\ \A y \in 3 : y > 0
                /\ x' = x
Next == InNumber \/ CountNumber \/ ForallNumber
=============================================================================
