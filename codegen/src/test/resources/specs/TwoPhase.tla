------------------------------ MODULE TwoPhase ------------------------------
(* Two-phase commit: resource managers prepare, the transaction manager decides. *)
EXTENDS Naturals, FiniteSets

CONSTANTS RM             \* the resource managers (model values)

VARIABLES rmState,       \* each resource manager's phase
          tmState,       \* the transaction manager's phase
          tmPrepared,    \* managers the TM knows are prepared
          msgPrepared,   \* "prepared" messages sent
          msgDecision    \* the TM's broadcast decision

TypeOK == /\ rmState \in [RM -> {"working", "prepared", "committed", "aborted"}]
          /\ tmState \in {"init", "committed", "aborted"}
          /\ tmPrepared \subseteq RM
          /\ msgPrepared \in SUBSET RM
          /\ msgDecision \in {"none", "commit", "abort"}

Init == /\ rmState = [r \in RM |-> "working"]
        /\ tmState = "init"
        /\ tmPrepared = {}
        /\ msgPrepared = {}
        /\ msgDecision = "none"

TMUndecided == tmState = "init"
AllPrepared == tmPrepared = RM

TMRcvPrepared(r) == /\ TMUndecided
                    /\ r \in msgPrepared
                    /\ tmPrepared' = tmPrepared \cup {r}
                    /\ UNCHANGED <<rmState, tmState, msgPrepared, msgDecision>>

TMCommit == /\ TMUndecided
            /\ AllPrepared
            /\ tmState' = "committed"
            /\ msgDecision' = "commit"
            /\ UNCHANGED <<rmState, tmPrepared, msgPrepared>>

TMAbort == /\ TMUndecided
           /\ tmState' = "aborted"
           /\ msgDecision' = "abort"
           /\ UNCHANGED <<rmState, tmPrepared, msgPrepared>>

RMPrepare(r) == /\ rmState[r] = "working"
                /\ rmState' = [rmState EXCEPT ![r] = "prepared"]
                /\ msgPrepared' = msgPrepared \cup {r}
                /\ UNCHANGED <<tmState, tmPrepared, msgDecision>>

RMChooseToAbort(r) == /\ rmState[r] = "working"
                      /\ rmState' = [rmState EXCEPT ![r] = "aborted"]
                      /\ UNCHANGED <<tmState, tmPrepared, msgPrepared, msgDecision>>

RMRcvDecision(r) == /\ msgDecision /= "none"
                    /\ rmState' = [rmState EXCEPT ![r] = IF msgDecision = "commit" THEN "committed" ELSE "aborted"]
                    /\ UNCHANGED <<tmState, tmPrepared, msgPrepared, msgDecision>>

Next == \/ TMCommit
        \/ TMAbort
        \/ \E r \in RM : \/ TMRcvPrepared(r)
                         \/ RMPrepare(r)
                         \/ RMChooseToAbort(r)
                         \/ RMRcvDecision(r)

Consistent == \A r1, r2 \in RM : ~ /\ rmState[r1] = "aborted"
                                   /\ rmState[r2] = "committed"
PreparedKnown == tmPrepared \subseteq msgPrepared
CountBound == Cardinality(tmPrepared \cap msgPrepared) <= Cardinality(RM)
=============================================================================
