--------------------- MODULE MCKernelCaps_NoCapDepth3 ---------------------
\* Witness: a capability derived three times in a row.
\* The model of MCKernelCaps, checking only that this
\* never happens; the manifest expects NoCapDepth3 violated.
EXTENDS MCKernelCaps
=============================================================================
