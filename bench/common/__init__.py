"""What the benchmarks share, by concern: servers and processes on loopback (servers), bench
databases (database), synthetic trusts (synthetic) and results files (results)."""
