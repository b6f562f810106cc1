-------------------------------- MODULE MCIpcLarge --------------------------------
(***************************************************************************)
(* Larger model of Ipc (manifest default: false): as MCIpc, with three   *)
(* message slots per vector.  a and c both send to b, b answers a.       *)
(* Two payloads.                                                          *)
(***************************************************************************)
EXTENDS Ipc

CONSTANTS a, b, c

MCThreads == {a, b, c}
MCLocalIds == 1..1
MCPayloads == {<<0, 0, 0, 0, 0, 0>>, <<1, 0, 0, 0, 0, 0>>}
SendTo(x) == <<[obj |-> x, rights |-> {"send"}, gen |-> 0]>>
MCInitCSpace == [t \in MCThreads |-> IF t = b THEN SendTo(a) ELSE SendTo(b)]
=============================================================================
