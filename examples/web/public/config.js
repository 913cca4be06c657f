// Replaced at serve time by serve.mjs with { apiUrl: process.env.API_URL }; empty here.
window.__MARKETGRAPH_CONFIG__ = window.__MARKETGRAPH_CONFIG__ || {};
