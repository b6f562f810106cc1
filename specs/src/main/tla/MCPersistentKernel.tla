------------------------- MODULE MCPersistentKernel -------------------------
(***************************************************************************)
(* Bounded model of PersistentKernel.  Thread a holds send+grant to b and  *)
(* owns frame 1 at its one page; b holds nothing; frame 2 is free for      *)
(* copies.  A log of 2 records (the cfg), one crash.                      *)
(***************************************************************************)
EXTENDS PersistentKernel, KernelPost

CONSTANTS a, b

SR == {"send", "grant"}
MCThreads == {a, b}
MCLocalIds == 1..1
MCVPages == 1..1
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace ==
    [t \in MCThreads |-> IF t = a THEN <<[obj |-> b, rights |-> SR, gen |-> 0]>> ELSE <<EmptyCap>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> IF t = a THEN <<1>> ELSE <<NoFrame>>]
=============================================================================
