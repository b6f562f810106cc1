------------------------- MODULE MCKernelCheckpointOwn -------------------------
(***************************************************************************)
(* The checkpointer's own pages and a dead checkpointer.  Thread c, the    *)
(* checkpointer (process c), owns frame 1 at page 1 (its own memory, a     *)
(* root) and has page 2 free; its table is full (no creation).  Thread    *)
(* object e is a                                                          *)
(* checkpointer too but free (no process): nothing may be mapped into it.  *)
(* The kernel may map c's own root into c's page 2; c's unmap must refuse *)
(* page 1 (a root: its frame would be lost) and take page 2.               *)
(***************************************************************************)
EXTENDS KernelPost

CONSTANTS c, e

MCThreads == {c, e}
MCLocalIds == 1..1
MCVPages == 1..2
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

\* c's only slot names c itself with no right: c's table is full, so it creates no thread.
MCInitCSpace == [t \in MCThreads |-> IF t = c THEN <<[obj |-> c, rights |-> {}, gen |-> 0]>> ELSE <<EmptyCap>>]

\* c runs in process c; e is a free thread object (process e is free too).
MCInitProc == [t \in MCThreads |-> IF t = c THEN c ELSE NoProc]

MCInitPages == [t \in MCThreads |-> IF t = c THEN <<1, NoFrame>> ELSE <<NoFrame, NoFrame>>]
=============================================================================
