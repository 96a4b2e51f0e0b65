/* Functions named in dash-ag-grid column definitions ({"function": "pmoRag(params)"}).
   dash-ag-grid 35 no longer evaluates string cellClassRules, so every rule is a function. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

/* True when the cell's value is one of the given values (case-insensitive). */
dagfuncs.valueIn = function (params, values) {
    if (params.value == null) { return false; }
    return values.includes(String(params.value).toLowerCase());
};

/* True when the cell's text starts with the prefix ("↑ 2", "Missing: budget"). */
dagfuncs.startsWith = function (params, prefix) {
    return params.value != null && String(params.value).startsWith(prefix);
};
