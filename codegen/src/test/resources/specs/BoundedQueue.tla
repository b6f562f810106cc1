---------------------------- MODULE BoundedQueue ----------------------------
(* A bounded FIFO queue shared by producers; one consumer takes from the head. *)
EXTENDS Naturals, Sequences

CONSTANTS Producers, \* model values that put items
          MaxLen,    \* the queue's bound
          MaxItem    \* items are 0..MaxItem

VARIABLES q,         \* the queue of [from, item] records
          produced,  \* how many items each producer has put
          hPut       \* ghost: total number of puts

TypeOK == /\ q \in Seq([from : Producers, item : 0..MaxItem])
          /\ Len(q) <= MaxLen
          /\ produced \in [Producers -> Nat]
          /\ hPut \in Nat

Init == /\ q = <<>>
        /\ produced = [p \in Producers |-> 0]
        /\ hPut = 0

NotFull == Len(q) < MaxLen
NotEmpty == Len(q) > 0

Put(p, i) == /\ NotFull
             /\ q' = Append(q, [from |-> p, item |-> i])
             /\ produced' = [produced EXCEPT ![p] = @ + 1]
             /\ hPut' = hPut + 1

Take == /\ NotEmpty
        /\ q' = Tail(q)
        /\ UNCHANGED <<produced, hPut>>

Drain(k) == /\ k <= Len(q)
            /\ q' = SubSeq(q, k + 1, Len(q))
            /\ UNCHANGED <<produced, hPut>>

Next == \/ \E p \in Producers, i \in 0..MaxItem : Put(p, i)
        \/ Take
        \/ \E k \in 1..2 : Drain(k)

Spec == Init /\ [][Next]_<<q, produced, hPut>>

Bounded == Len(q) <= MaxLen
NoMoreThanPut == Len(q) <= hPut
ItemsInRange == \A i \in 1..Len(q) : q[i].item \in 0..MaxItem
=============================================================================
