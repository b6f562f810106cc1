------------------------------ MODULE EmptyHead ------------------------------
(* Regression (found by the fuzz property): Head(<<>>), a sequence applied outside 1..Len and a function
   applied outside its domain stop TLC; the machine read a neighbouring word instead. And a CASE whose OTHER
   arm is a Len crashed the generator. *)
EXTENDS Integers, Sequences

VARIABLES q,   \* up to two values
          x    \* the last value read

TypeOK == /\ q \in Seq(0..3)
          /\ Len(q) <= 2
          /\ x \in Int

Init == /\ q = <<>>
        /\ x = 0

Push(v) == /\ Len(q) < 2
           /\ q' = Append(q, v)
           /\ UNCHANGED x

Pop == /\ q /= <<>>
       /\ q' = Tail(q)
       /\ UNCHANGED x

Peek == /\ x' = Head(q)
        /\ UNCHANGED q

Second == /\ x' = q[2]
          /\ UNCHANGED q

Square == /\ x' = [k \in 0..3 |-> k * k][x + 1]
          /\ UNCHANGED q

Count == /\ x' = (CASE x > 5 -> 0 [] OTHER -> Len(q))
         /\ UNCHANGED q

Next == (\E v \in 0..3 : Push(v)) \/ Pop \/ Peek \/ Second \/ Square \/ Count
=============================================================================
