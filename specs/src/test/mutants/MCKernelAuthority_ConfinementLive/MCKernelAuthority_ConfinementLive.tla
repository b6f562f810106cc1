-------------------------- MODULE MCKernelAuthority_ConfinementLive --------------------------
(***************************************************************************)
(* The authority invariants across creation and deletion (Kernel.tla's    *)
(* RightsNeverAmplifiedLive, AuthorityConnectedLive, ConfinementLive), on  *)
(* the smallest system where a creation can cross a boundary: thread a    *)
(* (confined, process p, one page) and thread b (outside the group,       *)
(* process q, no page) hold nothing and are connected by nothing; thread  *)
(* object c is free.  Either can create c (in its own process: no process *)
(* object is free), pass c items over the capability, delete c and create *)
(* it again (MaxGen = 1), so c can belong to a's group, to b's side, or to *)
(* each in turn while a stale capability to it is still held.              *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS a, b, c, p, q

MCThreads == {a, b, c}
MCProcs == {p, q}
MCLocalIds == 1..1
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<EmptyCap>>]

MCInitProc == [t \in MCThreads |-> IF t = a THEN p ELSE IF t = b THEN q ELSE NoProc]

MCInitPages == [x \in MCProcs |-> <<NoFrame>>]
=============================================================================
