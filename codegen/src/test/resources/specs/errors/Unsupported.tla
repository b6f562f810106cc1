---------------------------- MODULE Unsupported ----------------------------
EXTENDS Naturals
CONSTANTS S
VARIABLES x, y
TypeOK == /\ x \in S
          /\ y \in Nat
Init == /\ x = CHOOSE s : s \in S
        /\ y = 0
Jump == /\ \E s \in S : x' = s
        /\ UNCHANGED y
Grow == /\ y' \in 0..3
        /\ UNCHANGED x
Next == Jump \/ Grow
=============================================================================
