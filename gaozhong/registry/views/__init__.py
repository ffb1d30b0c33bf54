"""Registry pages: the worklist of anomalies per county and school, and an anomaly with its resolution."""
