----------------------------- MODULE NegativeMod -----------------------------
(* Regression (found by the fuzz): a range bound with % of a negative number, (46340 \div -1) % 8, is 4 in  *)
(* TLC (floor modulus); the generated set layout computed it with Java's %, -4, and refused the elements.    *)
EXTENDS Integers, FiniteSets

VARIABLES i   \* the size of the last range, 0..5

TypeOK == i \in Int

Init == i = 0

Count == i' = Cardinality((i % 8)..((46340 \div (-1)) % 8))

Next == Count
=============================================================================
