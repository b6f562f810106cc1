------------------------------ MODULE MCKernelLarge ------------------------------
(***************************************************************************)
(* Larger bounded model of Kernel, not run by default (use TLC's          *)
(* distributed mode): as MCKernel, with two virtual pages per address     *)
(* space, so mapping trees two levels deep and unmap of a middle node     *)
(* are reached.                                                            *)
(***************************************************************************)
EXTENDS KernelPost
CONSTANTS a, b, c

SR == {"send", "grant"}
MCThreads == {a, b, c}
MCLocalIds == 1..2
MCVPages == 1..2
MCFrames == 1..2
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}
MCConfined == {c}

MCInitCSpace ==
    [t \in MCThreads |->
        CASE t = a -> <<[obj |-> b, rights |-> SR], [obj |-> c, rights |-> {"send"}]>>
          [] t = b -> <<[obj |-> a, rights |-> SR], EmptyCap>>
          [] OTHER -> <<EmptyCap, EmptyCap>>]

MCInitPages ==
    [t \in MCThreads |->
        IF t = a THEN <<1, NoFrame>> ELSE <<NoFrame, NoFrame>>]
=============================================================================
