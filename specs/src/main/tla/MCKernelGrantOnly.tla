-------------------------- MODULE MCKernelGrantOnly --------------------------
(***************************************************************************)
(* Bounded model of Kernel where the threads hold grant without send: a   *)
(* and b hold grant only to each other, two local ids and two virtual     *)
(* pages each; a maps frame 1, b frame 2, frame 3 is free for a copy.     *)
(* Every call over those capabilities (a send, or a page or capability    *)
(* item) has all it needs but the send right, so the kernel must refuse   *)
(* each one; the postconditions, which require "send", check it.  Nothing *)
(* is left empty that a refused call could reach first: each thread's     *)
(* first slot and first page are in use, the second ones free to receive. *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS a, b

MCThreads == {a, b}
MCLocalIds == 1..2
MCVPages == 1..2
MCFrames == 1..3
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace ==
    [t \in MCThreads |-> <<[obj |-> IF t = a THEN b ELSE a, rights |-> {"grant"}, gen |-> 0], EmptyCap>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> <<IF t = a THEN 1 ELSE 2, NoFrame>>]
=============================================================================
