/* castkg browser view: builds the network and the panels from the JSON data block.
   Every text from the input is put on screen with textContent, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("castkg-data").textContent);
  var details = data.details;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function tooltip(node) {
    var box = el("div");
    box.appendChild(el("div", node.label, "tooltip-label"));
    box.appendChild(el("div", node.cls, "tooltip-class"));
    return box;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var copy = Object.assign({}, n);
    copy.title = tooltip(n);
    return copy;
  }));
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.castkgData = data;
  window.castkgNodes = nodes;
  window.castkgEdges = edges;
  window.castkgNetwork = network;
  window.castkgFirstDraw = null;
  network.once("afterDrawing", function () { window.castkgFirstDraw = performance.now(); });
  if (data.options.physics && data.options.physics.enabled) {
    window.castkgStable = false;
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      window.castkgStable = true;
    });
  } else {
    window.castkgStable = true;
  }

  // counts and what was left out
  document.getElementById("counts").textContent =
    data.nodes.length + " nodes · " + data.edges.length + " links";
  if (data.omitted > 0) {
    document.getElementById("omitted").textContent =
      data.omitted + " of " + data.total + " entities left out of this view (only the most connected, or the chosen focus and classes, are shown).";
  }

  // legend and class filter
  var filter = document.getElementById("class-filter");
  data.classes.forEach(function (c) {
    var item = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = c.name;
    box.setAttribute("data-class", c.name);
    var swatch = el("span", null, "swatch " + c.shape);
    swatch.style.background = c.color;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", c.name + " (" + c.count + ")"));
    label.appendChild(el("span", c.shape, "shape-name"));
    item.appendChild(label);
    filter.appendChild(item);
    box.addEventListener("change", function () { setClassVisible(c.name, box.checked); });
  });

  function setClassVisible(name, visible) {
    var changes = nodes.get({ filter: function (n) { return n.cls === name; } })
      .map(function (n) { return { id: n.id, hidden: !visible }; });
    nodes.update(changes);
  }
  window.castkgSetClassVisible = setClassVisible;

  // search by any label or alias
  function fold(s) {
    return String(s).normalize("NFKC").toLowerCase().replace(/[“”‘’"'「」『』《》〈〉\s]/g, "");
  }
  var names = [];
  Object.keys(details).sort().forEach(function (id) {
    var d = details[id];
    [d.label, d.labelEn].concat(d.aliases).forEach(function (name) {
      if (name) names.push({ id: id, name: name, key: fold(name) });
    });
  });
  var datalist = document.getElementById("search-names");
  var listed = {};
  names.forEach(function (entry) {
    if (listed[entry.name]) return;
    listed[entry.name] = true;
    var option = el("option");
    option.value = entry.name;
    datalist.appendChild(option);
  });

  function find(query) {
    var key = fold(query);
    if (!key) return null;
    var tests = [
      function (e) { return e.key === key; },
      function (e) { return e.key.indexOf(key) === 0; },
      function (e) { return e.key.indexOf(key) >= 0; },
    ];
    for (var i = 0; i < tests.length; i++) {
      var hit = names.filter(tests[i]);
      if (hit.length) {
        hit.sort(function (a, b) { return a.key.length - b.key.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
        return hit[0].id;
      }
    }
    return null;
  }

  function focusNode(id) {
    var node = nodes.get(id);
    if (node && node.hidden) {
      var box = filter.querySelector('input[data-class="' + CSS.escape(node.cls) + '"]');
      if (box) box.checked = true;
      setClassVisible(node.cls, true);
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showDetails(id);
  }
  window.castkgFocus = focusNode;

  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("search").value;
    var id = find(query);
    var status = document.getElementById("search-status");
    if (id === null) {
      status.textContent = "No node named " + query;
      return;
    }
    status.textContent = "";
    focusNode(id);
  });

  // details panel
  var panel = document.getElementById("details");
  var body = document.getElementById("details-body");

  function list(items) {
    var ul = el("ul");
    items.forEach(function (item) { ul.appendChild(el("li", item)); });
    return ul;
  }

  function row(dl, term, content) {
    dl.appendChild(el("dt", term));
    var dd = el("dd");
    if (typeof content === "string") dd.textContent = content; else dd.appendChild(content);
    dl.appendChild(dd);
  }

  function showDetails(id) {
    var d = details[id];
    if (!d) return;
    body.replaceChildren();
    body.appendChild(el("h2", d.label));
    var dl = el("dl");
    row(dl, "Class", d["class"]);
    if (d.labelEn) row(dl, "English", d.labelEn);
    if (d.aliases.length) row(dl, "Also called", list(d.aliases));
    d.facts.forEach(function (f) { row(dl, f[0], f[1]); });
    if (d.measures.length) {
      var ul = el("ul");
      d.measures.forEach(function (m) {
        var li = el("li", m[0]);
        if (m[1].length) li.appendChild(list(m[1]));
        ul.appendChild(li);
      });
      row(dl, "Measures", ul);
    }
    if (d.evidence.length) row(dl, "Evidence", list(d.evidence));
    if (d.articles.length) {
      row(dl, "Articles", list(d.articles.map(function (a) {
        return a[0] + (a[1] ? " · " + a[1] : "") + (a[2] ? " · " + a[2] : "");
      })));
    }
    body.appendChild(dl);
    body.appendChild(el("p", id, "iri"));
    panel.hidden = false;
    panel.setAttribute("data-node", id);
  }
  window.castkgShowDetails = showDetails;

  network.on("click", function (params) {
    if (params.nodes.length) showDetails(params.nodes[0]);
  });
  document.getElementById("details-close").addEventListener("click", function () {
    panel.hidden = true;
    network.unselectAll();
  });
})();
