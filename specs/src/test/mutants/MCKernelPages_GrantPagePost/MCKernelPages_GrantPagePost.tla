---------------------------- MODULE MCKernelPages_GrantPagePost ----------------------------
(***************************************************************************)
(* Bounded model of Kernel for deep mapping derivation: a and b hold      *)
(* send+grant to each other and have two virtual pages each; a owns frame *)
(* 1 and frame 2 is free for a copy.  A page can be mapped three times in *)
(* a row (a -> b -> a -> b), so an unmap flushes a grandchild and a       *)
(* great-grandchild, and a derived mapping can be granted.                *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS a, b

SR == {"send", "grant"}
MCThreads == {a, b}
MCLocalIds == 1..1
MCVPages == 1..2
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace == [t \in MCThreads |-> <<[obj |-> IF t = a THEN b ELSE a, rights |-> SR, gen |-> 0]>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> IF t = a THEN <<1, NoFrame>> ELSE <<NoFrame, NoFrame>>]
=============================================================================
