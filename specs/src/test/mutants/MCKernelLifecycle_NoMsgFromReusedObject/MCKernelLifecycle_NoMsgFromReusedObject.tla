-------------------------- MODULE MCKernelLifecycle_NoMsgFromReusedObject --------------------------
(***************************************************************************)
(* Kernel with thread and process lifecycle, on the smallest system that   *)
(* reaches it: thread a runs in process p (its one page maps frame 1) and  *)
(* holds nothing; thread object c and process object q are free.  a can   *)
(* create c in p (two threads, one address space) or in a new process q,  *)
(* pass it pages and capabilities, delete it or its process, and create   *)
(* it again; a thread object is deleted at most once (MaxGen = 1), so a    *)
(* capability can outlive its object and meet the object's reuse.  a is  *)
(* confined: what it creates joins its group.                              *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS a, c, p, q

MCThreads == {a, c}
MCProcs == {p, q}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<EmptyCap, EmptyCap>>]

MCInitProc == [t \in MCThreads |-> IF t = c THEN NoProc ELSE p]

MCInitPages == [x \in MCProcs |-> IF x = p THEN <<1>> ELSE <<NoFrame>>]
=============================================================================
