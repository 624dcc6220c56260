"""Model layer: lines, plans (MTFP) and cases (cost/benefit); imports only from core."""
