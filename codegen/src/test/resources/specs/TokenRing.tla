----------------------------- MODULE TokenRing -----------------------------
(* Nodes 0..N-1 pass a token around a ring; only the holder may enter its critical section. *)
EXTENDS Naturals, FiniteSets

CONSTANTS N          \* number of nodes

VARIABLES token,     \* the node holding the token
          state,     \* each node's phase
          visits     \* how often each node entered

TypeOK == /\ token \in 0..N-1
          /\ state \in [0..N-1 -> {"idle", "waiting", "critical"}]
          /\ visits \in [0..N-1 -> Nat]

Init == /\ token = 0
        /\ state = [i \in 0..N-1 |-> "idle"]
        /\ visits = [i \in 0..N-1 |-> 0]

HasToken(i) == token = i

Request(i) == /\ state[i] = "idle"
              /\ state' = [state EXCEPT ![i] = "waiting"]
              /\ UNCHANGED <<token, visits>>

Enter(i) == /\ HasToken(i)
            /\ state[i] = "waiting"
            /\ state' = [state EXCEPT ![i] = "critical"]
            /\ visits' = [visits EXCEPT ![i] = @ + 1]
            /\ UNCHANGED token

Exit(i) == /\ state[i] = "critical"
           /\ state' = [state EXCEPT ![i] = "idle"]
           /\ UNCHANGED <<token, visits>>

Pass(i) == /\ HasToken(i)
           /\ state[i] /= "critical"
           /\ token' = (i + 1) % N
           /\ UNCHANGED <<state, visits>>

Next == \E i \in 0..N-1 : Request(i) \/ Enter(i) \/ Exit(i) \/ Pass(i)

MutualExclusion == \A i, j \in 0..N-1 : (state[i] = "critical" /\ state[j] = "critical") => i = j
CriticalHoldsToken == \A i \in 0..N-1 : state[i] = "critical" => token = i
Busy == Cardinality({i \in 0..N-1 : state[i] /= "idle"}) <= N
=============================================================================
