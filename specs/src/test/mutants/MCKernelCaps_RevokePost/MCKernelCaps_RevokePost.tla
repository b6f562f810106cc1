---------------------------- MODULE MCKernelCaps_RevokePost ----------------------------
(***************************************************************************)
(* Bounded model of Kernel for deep capability derivation: a and b hold  *)
(* send+grant to each other and have three local ids each, so an entry    *)
(* can be mapped back and forth three times in a row (a -> b -> a -> b)   *)
(* and a revoke then removes a grandchild and a great-grandchild.  No     *)
(* page is mapped (pages are MCKernelPages' subject).                     *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS a

SR == {"send", "grant"}
MCThreads == {a}
MCLocalIds == 1..4
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<[obj |-> a, rights |-> SR, gen |-> 0], EmptyCap, EmptyCap, EmptyCap>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> <<NoFrame>>]
=============================================================================
