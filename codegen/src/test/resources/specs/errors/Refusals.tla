------------------------------ MODULE Refusals ------------------------------
(* Constructs Lower accepts and Emit cannot generate: each is refused where it is, all in one run. *)
EXTENDS Naturals, FiniteSets
CONSTANTS N
VARIABLES n, k, hSeen

TypeOK == /\ n \in 0..N
          /\ k \in 0..100
          /\ hSeen \in 0..N
          /\ Cardinality({n % 3, 7}) <= 2

Init == /\ n = 0
        /\ k = Cardinality({N % 3, 7})
        /\ hSeen = 0

Count ==
    /\ n < N
    /\ k' = Cardinality({n % 3, 7})
    /\ UNCHANGED <<n, hSeen>>

Member ==
    /\ k \in {y \in {n % 3, 7} : y > 0}
    /\ UNCHANGED <<n, k, hSeen>>

Iterate ==
    /\ \A y \in {n % 3} \cup {7} : y < 10
    /\ UNCHANGED <<n, k, hSeen>>

Ghostly ==
    /\ hSeen < N
    /\ n' = n
    /\ UNCHANGED <<k, hSeen>>

Next == Count \/ Member \/ Iterate \/ Ghostly

Small == Cardinality({n % 3, 7}) < 3
=============================================================================
