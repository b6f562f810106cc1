------------------------------ MODULE Overflow ------------------------------
(* Regression: TLC stops with "Overflow when computing ..." where 32-bit arithmetic would wrap. *)
EXTENDS Integers

VARIABLES x   \* grows by doubling until it overflows

TypeOK == x \in Int

Init == x = 1

Double == x' = x * 2

Bump == x' = x + 1000000000

Negate == x' = -x - 1

Next == Double \/ Bump \/ Negate
=============================================================================
