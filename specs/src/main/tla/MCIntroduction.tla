---------------------------- MODULE MCIntroduction ----------------------------
(***************************************************************************)
(* Introduction without a name server, as a witness.  a holds send+grant  *)
(* capabilities to both b and c; b and c hold nothing.  NoIntroduction     *)
(* claims b never obtains a capability to c; TLC must report it violated,  *)
(* and the trace is the introduction: a passes its c capability to b as   *)
(* the item of a message.  The manifest records the expected violation.   *)
(***************************************************************************)
EXTENDS Kernel

CONSTANTS a, b, c

SR == {"send", "grant"}
MCThreads == {a, b, c}
MCLocalIds == 1..2
MCVPages == 1..1
MCFrames == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>}

MCInitCSpace ==
    [t \in MCThreads |->
        IF t = a THEN <<[obj |-> b, rights |-> SR, gen |-> 0], [obj |-> c, rights |-> SR, gen |-> 0]>>
                 ELSE <<EmptyCap, EmptyCap>>]

\* One process per thread, named like it.
MCInitProc == [t \in MCThreads |-> t]

MCInitPages == [t \in MCThreads |-> <<NoFrame>>]

NoIntroduction == \A k \in LocalIds : cspace[b][k].obj # c
=============================================================================
