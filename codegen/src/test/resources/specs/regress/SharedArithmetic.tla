--------------------------- MODULE SharedArithmetic ---------------------------
(* Regression for sharing an operator's arithmetic: an operator whose body is *)
(* integer arithmetic over the state, used more than once by an action (the   *)
(* kernel's RingSlot(r, msgCount[r]) in both paths of Deliver's EXCEPT), is   *)
(* computed once into a local where the action first evaluates it whatever    *)
(* the values.  The local must hold what TLC computes at every use: a ring    *)
(* slot written through two paths, uses under an IF and a quantifier before   *)
(* the unconditional ones, a division by zero and an overflow raised where    *)
(* TLC stops, and a guard that refuses before the arithmetic would stop.      *)
EXTENDS Integers

CONSTANTS Ts, Max

VARIABLES buf, head, count, k, big

TypeOK ==
    /\ buf \in [Ts -> [1..Max -> [a : 0..3, b : 0..4]]]
    /\ head \in [Ts -> 0..(Max - 1)]
    /\ count \in [Ts -> 0..Max]
    /\ k \in [Ts -> 0..2]
    /\ big \in [Ts -> Int]

Slot(t) == ((head[t] + count[t]) % Max) + 1

Modk(t) == (count[t] + big[t]) % k[t]

Scale(t) == big[t] * 1000

Init ==
    /\ buf = [t \in Ts |-> [i \in 1..Max |-> [a |-> 0, b |-> 0]]]
    /\ head = [t \in Ts |-> 0]
    /\ count = [t \in Ts |-> 0]
    /\ k = [t \in Ts |-> 1]
    /\ big = [t \in Ts |-> 1]

Put(t, x) ==
    /\ count[t] < Max
    /\ buf' = [buf EXCEPT ![t][Slot(t)] = [a |-> x, b |-> 0], ![t][Slot(t)].b = x + 1]
    /\ count' = [count EXCEPT ![t] = @ + 1]
    /\ UNCHANGED <<head, k, big>>

Take(t) ==
    /\ count[t] > 0
    /\ buf' = [buf EXCEPT ![t][head[t] + 1] = [a |-> 0, b |-> 0]]
    /\ head' = [head EXCEPT ![t] = (@ + 1) % Max]
    /\ count' = [count EXCEPT ![t] = @ - 1]
    /\ UNCHANGED <<k, big>>

\* Slot under an IF's arm and under a quantifier first, then twice whatever the values (the local), then in
\* the EXCEPTs' new values (which read the local)
Turn(t) ==
    /\ IF count[t] > 0 THEN Slot(t) > 0 ELSE TRUE
    /\ \A u \in Ts : Slot(u) >= 1
    /\ Slot(t) + Slot(t) >= 2
    /\ head' = [head EXCEPT ![t] = Slot(t) - 1]
    /\ count' = [count EXCEPT ![t] = IF Slot(t) = 1 THEN 0 ELSE 1]
    /\ UNCHANGED <<buf, k, big>>

SetK(t, j) ==
    /\ k' = [k EXCEPT ![t] = j]
    /\ UNCHANGED <<buf, head, count, big>>

\* with k[t] = 0 TLC stops at the first Modk(t); with head[t] # 0 the guard refuses first
Mix(t) ==
    /\ head[t] = 0
    /\ Modk(t) + Modk(t) >= 0
    /\ big' = [big EXCEPT ![t] = Modk(t) + 1]
    /\ UNCHANGED <<buf, head, count, k>>

\* overflows once big[t] * 1000 leaves the 32-bit integers (as TLC's arithmetic does)
Grow(t) ==
    /\ Scale(t) > Scale(t) - 1
    /\ big' = [big EXCEPT ![t] = Scale(t)]
    /\ UNCHANGED <<buf, head, count, k>>

Next ==
    \/ \E t \in Ts, x \in 0..3 : Put(t, x)
    \/ \E t \in Ts : Take(t) \/ Turn(t) \/ Mix(t) \/ Grow(t)
    \/ \E t \in Ts, j \in 0..2 : SetK(t, j)
=============================================================================
