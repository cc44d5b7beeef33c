"""DigiTrack's benchmarks, each run from the project folder as a module (`python -m bench.load`,
see the Makefile's bench targets); what they share is in bench.common."""
