-------------------------------- MODULE MCIpc_VectorsBounded --------------------------------
(***************************************************************************)
(* Bounded model of Ipc alone: a and c both send to b, b answers a.  Two   *)
(* message slots per vector and two distinct payloads, so per-pair FIFO    *)
(* and interleaving of two senders are both exercised.                     *)
(***************************************************************************)
EXTENDS IpcPost

CONSTANTS a, b, c

MCThreads == {a, b, c}
MCLocalIds == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>, <<1, 0, 0, 0, 0, 0>>}
SendTo(x) == <<[obj |-> x, rights |-> {"send"}, gen |-> 0]>>
MCInitCSpace == [t \in MCThreads |-> IF t = b THEN SendTo(a) ELSE SendTo(b)]
=============================================================================
