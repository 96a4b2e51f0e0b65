/* PMO Lens browser helpers shared by the grid renderers and the clientside callbacks.
   The filter keys carried from page to page are dashboard.url_state.CARRIED_KEYS (docs/ux.md). */
window.pmoLens = Object.assign(window.pmoLens || {}, {
    CARRIED_KEYS: ["division", "portfolio", "stage", "manager", "health", "as_of"],
    /* "?division=Finance&from=2026-09-30" -> "?division=Finance": only the global filters. */
    filterQuery: function (search) {
        const source = new URLSearchParams(search || "");
        const kept = new URLSearchParams();
        for (const [key, value] of source) {
            if (window.pmoLens.CARRIED_KEYS.includes(key)) { kept.append(key, value); }
        }
        const text = kept.toString();
        return text ? "?" + text : "";
    },
    projectHref: function (projectId, search) {
        return "/project/" + encodeURIComponent(projectId) +
            window.pmoLens.filterQuery(search === undefined ? window.location.search : search);
    },
});
