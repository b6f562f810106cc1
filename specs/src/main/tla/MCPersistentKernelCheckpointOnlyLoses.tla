-------------------- MODULE MCPersistentKernelCheckpointOnlyLoses --------------------
(* Witness: checkpoint-only recovery dropping a flushed record. *)
(* TLC must report DurableRecordsKept violated; the trace is the witness: *)
(* a record flushed after the sealed checkpoint, lost by the recovery.     *)
EXTENDS MCPersistentKernel

=============================================================================
