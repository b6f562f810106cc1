----------------------------- MODULE ExistsBody -----------------------------
(* An action whose body is \E around its updates: refused where the \E is, naming the action. *)
CONSTANTS S

VARIABLES x

TypeOK == x \in S

Init == x = CHOOSE s \in S : TRUE

Jump == \E s \in S : x' = s

Next == Jump
=============================================================================
