-------------------- MODULE MCPersistentKernelRestoreWaits --------------------
(* Witness: a restore in which a message waits for its item (an entry or a frame it brought). *)
(* TLC must report NoRestoreWaitsForItem violated; the trace is the witness. *)
EXTENDS MCPersistentKernel

NoRestoreWaitsForItem ==
    phase = "restore" =>
        \A o \in CkObjects \ restored :
            KindOf(o) = "message" => \A p \in DepsOf(ck.state, o) : KindOf(p) = "thread" \/ p \in restored
=============================================================================
