-------------------- MODULE MCPersistentKernelOpDuringCheckpoint --------------------
(* Witness: an operation runs while a checkpoint is open. *)
(* TLC must report NoOpDuringCheckpoint violated; the trace is the witness. *)
EXTENDS MCPersistentKernel

NoOpDuringCheckpoint == ckOpen => Applied = ckNew.lsn
=============================================================================
