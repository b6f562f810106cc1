----------------------------- MODULE Semantic -----------------------------
EXTENDS Naturals
VARIABLES x
TypeOK == x \in Nat
Init == x = Undefined + 1
Next == x' = x
=============================================================================
