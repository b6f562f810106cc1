----------------------------- MODULE LazyApply -----------------------------
(* Regression: TLC applies a function constructor lazily, [x \in 0..3 |-> 2 % x][k] evaluates 2 % x only
   at k, so it gives a value for k /= 0 and stops only for k = 0 (or k outside 0..3). The machine once
   built the whole function first and stopped on 2 % 0 for every k. Found by ladle generate --fuzz. *)
EXTENDS Integers

VARIABLES k, b, n

TypeOK == /\ k \in Int
          /\ b \in BOOLEAN
          /\ n \in Int

Init == /\ k = 1
        /\ b = FALSE
        /\ n = 0

Step(d) == /\ k' = d
           /\ UNCHANGED <<b, n>>

Apply == /\ b' = ([x \in 0..3 |-> (2 % x)][k % 4] /= 0)
         /\ UNCHANGED <<k, n>>

Outside == /\ n' = [x \in 1..3 |-> 10 \div x][k]
           /\ UNCHANGED <<k, b>>

Nested == /\ n' = [x \in 0..3 |-> [y \in 0..3 |-> x \div y][(x + 1) % 4]][k % 4]
          /\ UNCHANGED <<k, b>>

Next == \/ \E d \in -1..5 : Step(d)
        \/ Apply
        \/ Outside
        \/ Nested
=============================================================================
