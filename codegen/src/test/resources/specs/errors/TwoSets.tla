------------------------------ MODULE TwoSets ------------------------------
(* Regression: model values of two constant sets; a client and a server are never equal. *)
CONSTANTS Clients, Servers

VARIABLES linked   \* the server each client is linked to, or itself when unlinked

TypeOK == linked \in [Clients -> Clients \cup Servers]

Init == linked = [c \in Clients |-> c]

Link(c, s) == /\ linked[c] = c
              /\ linked' = [linked EXCEPT ![c] = s]

Unlink(c) == /\ linked[c] /= c
             /\ linked' = [linked EXCEPT ![c] = c]

Next == \E c \in Clients : Unlink(c) \/ \E s \in Servers : Link(c, s)
=============================================================================
