------------------------------ MODULE Untyped ------------------------------
EXTENDS Naturals
VARIABLES x, y
TypeOK == x \in Nat
Init == x = 0 /\ y = 0
Step == /\ x' = x + 1
Next == Step
=============================================================================
