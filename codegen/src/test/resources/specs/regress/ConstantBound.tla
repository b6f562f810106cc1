---------------------------- MODULE ConstantBound ----------------------------
(* Regression: a range whose bound is a constant expression TLC stops on ((-7 \div 0) % 8 .. 7) is typed by
   bounds computed where the spec evaluates it, so the action raises as TLC does. The machine once computed
   the bound when it was constructed, and no machine could be built for the spec. Found by ladle generate
   --fuzz. *)
EXTENDS Integers

VARIABLES b, k

TypeOK == /\ b \in BOOLEAN
          /\ k \in 0..7

Init == /\ b = FALSE
        /\ k = 0

Bad == /\ b' = (k \in (((-7 \div 0) % 8)..7))
       /\ UNCHANGED k

Overflowing == /\ b' = (k \in ((2147483647 + 1) % 8)..7)
               /\ UNCHANGED k

Fine == /\ b' = (k \in (((7 \div 2) % 8)..7))
        /\ UNCHANGED k

Count == /\ k' = (k + 1) % 8
         /\ UNCHANGED b

Next == Bad \/ Overflowing \/ Fine \/ Count
=============================================================================
