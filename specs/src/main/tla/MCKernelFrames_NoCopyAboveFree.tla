----------------- MODULE MCKernelFrames_NoCopyAboveFree ---------------------
\* Witness: a copy takes a frame while a lower one is free.
\* The model of MCKernelFrames, checking only that this
\* never happens; the manifest expects NoCopyAboveFree violated.
EXTENDS MCKernelFrames
=============================================================================
