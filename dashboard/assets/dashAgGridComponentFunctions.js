/* Cell renderers for dash-ag-grid (docs/ux.md "Grids"). Text goes through React, never as
   HTML, so a project named "<img onerror=...>" shows as those characters. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

/* A real link to the project's page (new tab, copyable) that keeps the current filters.
   cellRendererParams.idField names the row's project id (default "project_id"). */
dagcomponentfuncs.ProjectLink = function (props) {
    const field = (props.colDef.cellRendererParams || {}).idField || "project_id";
    const id = props.data ? props.data[field] : null;
    const text = props.valueFormatted != null ? props.valueFormatted : props.value;
    if (id == null || id === "") { return text == null ? "" : String(text); }
    return React.createElement(
        "a",
        {href: window.pmoLens.projectHref(String(id)), target: "_blank", rel: "noopener",
         className: "pmo-grid-link"},
        text == null ? "" : String(text)
    );
};

/* RAG (or any coded value) as a coloured word badge, the same as on the project page.
   cellRendererParams.labels maps stored values to words (dashboard.vocabulary). */
dagcomponentfuncs.RagBadge = function (props) {
    const params = props.colDef.cellRendererParams || {};
    const value = props.value == null || props.value === "" ? (params.empty || null) : String(props.value);
    if (value == null) { return ""; }
    const labels = params.labels || {};
    const tone = (params.tones || {})[value] || value;
    return React.createElement(
        "span", {className: "rag-badge rag-badge-" + tone}, labels[value] || value
    );
};
