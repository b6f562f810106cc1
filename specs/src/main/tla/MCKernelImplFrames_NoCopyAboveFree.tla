----------------- MODULE MCKernelImplFrames_NoCopyAboveFree -----------------
\* Witness: a copy takes a frame while a lower one is free.
\* The model of MCKernelImplFrames, checking only that this
\* never happens; the manifest expects NoCopyAboveFree violated.
EXTENDS MCKernelImplFrames
=============================================================================
