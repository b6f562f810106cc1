----------------------------- MODULE EnumGroups -----------------------------
(* Regression: "shut" shares no set with status's strings, so it is another enum; comparing them is
   never equal, whatever the ordinals. *)
CONSTANTS Accounts

VARIABLES status   \* each account's status

TypeOK == status \in [Accounts -> {"open", "closed"}]

Init == status = [a \in Accounts |-> "open"]

Close(a) == /\ status[a] /= "shut"
            /\ status' = [status EXCEPT ![a] = "closed"]

Reopen(a) == /\ status[a] = "closed"
             /\ status' = [status EXCEPT ![a] = "open"]

Next == \E a \in Accounts : Close(a) \/ Reopen(a)
=============================================================================
