/* castkg browser view: builds the network, the filters and the panels from the JSON data block.
   Every text from the input is put on screen with textContent (or drawn on the canvas), never as HTML.
   Every string of the page itself is in STRINGS, one table per language. */
(function () {
  "use strict";

  var STRINGS = {
    zh: {
      searchPlaceholder: "搜索名称或别名（按 / 键）",
      searchLabel: "搜索",
      find: "查找",
      notFound: "没有名为“{0}”的实体",
      counts: "显示 {0}/{1} 个实体 · {2}/{3} 条关系",
      exportPng: "导出 PNG",
      exportCsv: "导出 CSV",
      otherLanguage: "English",
      filtersLabel: "筛选与图例",
      detailsLabel: "详情",
      classesTitle: "类别",
      relationsTitle: "关系",
      weakHint: "虚线是弱关系（只是在同一句话里出现），默认隐藏。",
      timeTitle: "时间",
      timeFrom: "从",
      timeTo: "到",
      timeHint: "按事件的日期筛选；没有日期的事件按报道日期，两者都没有的总是显示。有任期的职务按任期。",
      noDates: "图中没有日期。",
      dateRange: "{0} 至 {1}",
      colourTitle: "颜色",
      byCommunity: "按社区（联系紧密的一群）",
      byClass: "按类别",
      communityItem: "{0} 等 {1} 个",
      otherCommunities: "其他：灰色",
      hideOrphans: "隐藏关系全被筛掉的实体",
      help: "单击：选中并突出它的邻居 · 双击：展开邻居 · /：搜索 · Esc：关闭详情",
      close: "关闭",
      budgetNote: "这张图只画出了连接最多的 {0} 个实体（共 {1} 个，另有 {2} 个没有画出）。",
      omittedNote: "这张图画出了 {0} 个实体（共 {1} 个）。",
      focusNote: "以“{0}”为中心。",
      walledNote: "没有经过这些枢纽继续展开：{0}。要经过它们，双击该节点，或在命令中加 --through-hubs。",
      howToFocus: "双击节点可以展开它的邻居；要看某个实体的周边，运行",
      focusCommand: "castkg view 输出目录 --focus 名称",
      notEmbeddedNote: "另有 {0} 个实体没有收进本页。",
      linksNote: "这些实体之间只画出了最强的 {0} 条关系，另有 {1} 条没有画出（先略去弱关系）。",
      detailsLeftOutNote: "另有 {0} 个实体的详情没有收进本页。",
      sentencesNote: "为了让本页打开得快，{0} 句证据没有收进本页。",
      articlesNote: "为了让本页打开得快，{0} 处报道出处没有收进本页。",
      linksLeftOut: "本页收进了它的 {0} 条关系（共 {1} 条）。全部关系：",
      moreSentencesFocus: "……还有 {0} 句没有收进本页：",
      moreArticles: "……还有 {0} 篇报道没有收进本页：",
      focusOn: "castkg view 输出目录 --focus {0}",
      expanded: "添加了 {0} 个邻居。",
      shownOnly: "显示了“{0}”的全部关系。",
      moreToExpand: "还有 {0} 个邻居，再双击一次继续。",
      classLabel: "类别",
      englishName: "英文名",
      chineseName: "中文名",
      aliases: "别名",
      measures: "数量",
      evidence: "证据",
      articles: "报道",
      reported: "报道日期",
      expand: "展开邻居",
      hub: "枢纽",
      detailsNotEmbedded: "本页没有收进这个实体的详情，运行 castkg view 输出目录 --focus 加它的名称查看。",
      since: "{0} 起",
      until: "至 {0}",
      moreSentences: "……还有 {0} 句",
      csvHeader: ["起点", "起点类别", "关系", "终点", "终点类别", "职务", "开始", "结束", "起点 IRI", "终点 IRI"],
      classes: {
        Organization: "机构",
        Platform: "平台",
        Event: "事件",
        Initiative: "计划与行动",
        Award: "奖项",
        Person: "人物",
        Place: "地点",
        Publication: "出版物与文件",
      },
      inverse: {
        organizer: "主办的",
        chair: "主持的",
        location: "在此举办的",
        involves: "涉及它的",
        partOf: "包含",
        launchedBy: "发起的",
        subOrganizationOf: "下属机构",
        holds: "在此任职的人",
      },
      incoming: "{0}（反向）",
    },
    en: {
      searchPlaceholder: "Search a name or alias (press /)",
      searchLabel: "Search",
      find: "Find",
      notFound: "No entity is named “{0}”",
      counts: "showing {0}/{1} entities · {2}/{3} links",
      exportPng: "Export PNG",
      exportCsv: "Export CSV",
      otherLanguage: "中文",
      filtersLabel: "Filters and legend",
      detailsLabel: "Details",
      classesTitle: "Kinds",
      relationsTitle: "Links",
      weakHint: "Dashed links are weak (the two are only named in the same sentence) and hidden at first.",
      timeTitle: "Time",
      timeFrom: "From",
      timeTo: "To",
      timeHint: "Filters events by their dates; an event without one by the date it was reported; one with neither always shows. Posts with a term by their term.",
      noDates: "The graph has no dates.",
      dateRange: "{0} to {1}",
      colourTitle: "Colour",
      byCommunity: "by community (a closely linked group)",
      byClass: "by kind",
      communityItem: "{0} and {1} more",
      otherCommunities: "others: grey",
      hideOrphans: "Hide entities whose links are all filtered out",
      help: "Click: select and bring out its neighbours · double-click: expand · /: search · Esc: close details",
      close: "Close",
      budgetNote: "This map draws only the {0} most connected entities (of {1}; {2} are not drawn).",
      omittedNote: "This map draws {0} of {1} entities.",
      focusNote: "Centred on “{0}”.",
      walledNote: "Not expanded past these hubs: {0}. To go past them, double-click one, or add --through-hubs to the command.",
      howToFocus: "Double-click a node to expand its neighbours; to see the surroundings of one entity, run",
      focusCommand: "castkg view OUTPUT_DIR --focus NAME",
      notEmbeddedNote: "{0} more entities are not in this file.",
      linksNote: "Only the {0} strongest links among them are drawn; {1} more are not (weak ones are left out first).",
      detailsLeftOutNote: "{0} more entities' details are not in this file.",
      sentencesNote: "To open quickly, this file leaves out {0} evidence sentences.",
      articlesNote: "To open quickly, this file leaves out {0} references to articles.",
      linksLeftOut: "This file holds {0} of its {1} links. Every link:",
      moreSentencesFocus: "… {0} more sentences not in this file:",
      moreArticles: "… {0} more articles not in this file:",
      focusOn: "castkg view OUTPUT_DIR --focus {0}",
      expanded: "Added {0} neighbours.",
      shownOnly: "Showing every link of “{0}”.",
      moreToExpand: "{0} more neighbours: double-click again to go on.",
      classLabel: "Kind",
      englishName: "English name",
      chineseName: "Chinese name",
      aliases: "Also called",
      measures: "Numbers",
      evidence: "Evidence",
      articles: "Reported in",
      reported: "Reported on",
      expand: "Expand neighbours",
      hub: "hub",
      detailsNotEmbedded: "This file does not hold this entity's details: run castkg view OUTPUT_DIR --focus with its name.",
      since: "since {0}",
      until: "until {0}",
      moreSentences: "… {0} more sentences",
      csvHeader: ["source", "source kind", "link", "target", "target kind", "post", "start", "end", "source IRI", "target IRI"],
      classes: {
        Organization: "Organisation",
        Platform: "Platform",
        Event: "Event",
        Initiative: "Programme or campaign",
        Award: "Award",
        Person: "Person",
        Place: "Place",
        Publication: "Publication or document",
      },
      inverse: {
        organizer: "organized",
        chair: "chaired",
        location: "location of",
        involves: "involved in",
        partOf: "has part",
        launchedBy: "launched",
        subOrganizationOf: "has sub-organization",
        holds: "people in posts here",
      },
      incoming: "{0} (inverse)",
    },
  };

  var timings = { script: performance.now() };
  var GREY = "#b9b9b9";
  var DIM_FONT = "#c8c8c8";
  var data = JSON.parse(document.getElementById("castkg-data").textContent);
  timings.parsed = performance.now();
  var cut = data.cut || {}; // what the page's budgets left out (absent when nothing was)
  var lang = "zh";
  var hasPhysics = !!(data.options.physics && data.options.physics.enabled);

  function t(key) {
    var text = STRINGS[lang][key];
    var args = arguments;
    return String(text).replace(/\{(\d)\}/g, function (_, n) { return String(args[Number(n) + 1]); });
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  // --- the tables ---------------------------------------------------------------------

  var N = data.nodes.length;
  var ids = data.nodes.map(function (r) { return data.base + r[0]; });
  var index = Object.create(null);
  ids.forEach(function (id, i) { index[id] = i; });
  var edgesAt = ids.map(function () { return []; });
  data.edges.forEach(function (e, k) {
    edgesAt[e[0]].push(k);
    if (e[2] !== e[0]) edgesAt[e[2]].push(k);
  });

  function row(i) { return data.nodes[i]; }
  function clsName(i) { return data.classes[row(i)[2]].name; }
  function degree(i) { return row(i)[3]; }
  function label(i) { var r = row(i); return lang === "en" && r[5] ? r[5] : r[1]; }
  function className(name) { return STRINGS[lang].classes[name] || name; }
  function relation(k) { return data.relations[data.edges[k][1]]; }
  function propName(p) { return data.props[p][lang === "en" ? 2 : 1]; }
  function relationName(r) { return propName(r.prop); }
  function relationIri(r) { return data.props[r.prop][0]; }
  function other(k, i) { var e = data.edges[k]; return e[0] === i ? e[2] : e[0]; }
  function sizeOf(i) { return Math.round((10 + 5 * Math.sqrt(degree(i))) * 10) / 10; }
  function fontOf(i) { return Math.min(40, Math.round(14 + 3.5 * Math.sqrt(degree(i)))); }
  function isHub(i) { return data.walled.indexOf(i) >= 0; }

  function edgeLabel(k) {
    var e = data.edges[k];
    return relation(k).post && e[3] ? e[3] : relationName(relation(k));
  }

  // --- colours ----------------------------------------------------------------------------

  function mix(hex, into, share) {
    function parts(h) { return [1, 3, 5].map(function (p) { return parseInt(h.substr(p, 2), 16); }); }
    var a = parts(hex), b = parts(into);
    return "#" + a.map(function (v, n) {
      var c = Math.round(v * (1 - share) + b[n] * share);
      return (c < 16 ? "0" : "") + c.toString(16);
    }).join("");
  }

  function baseColour(i) {
    if (state.colour === "class") return data.classes[row(i)[2]].color;
    var c = row(i)[4];
    return c >= 0 && data.communities[c] ? data.communities[c].color : GREY;
  }

  function nodeStyle(i, dim) {
    var fill = baseColour(i);
    var border = mix(fill, "#000000", 0.35);
    if (dim) {
      fill = mix(fill, "#ffffff", 0.82);
      border = mix(border, "#ffffff", 0.8);
    }
    return {
      color: { background: fill, border: border, highlight: { background: fill, border: "#111" }, hover: { background: fill, border: "#111" } },
      font: { size: fontOf(i), color: dim ? DIM_FONT : "#222" },
    };
  }

  // --- the custom shape for publications: a page with a folded corner ---------------------

  function documentShape(args) {
    var ctx = args.ctx, x = args.x, y = args.y, style = args.style, size = style.size;
    var w = size * 1.5, h = size * 1.9, fold = size * 0.55;
    return {
      drawNode: function () {
        ctx.globalAlpha = style.opacity === undefined ? 1 : style.opacity;
        ctx.beginPath();
        ctx.moveTo(x - w / 2, y - h / 2);
        ctx.lineTo(x + w / 2 - fold, y - h / 2);
        ctx.lineTo(x + w / 2, y - h / 2 + fold);
        ctx.lineTo(x + w / 2, y + h / 2);
        ctx.lineTo(x - w / 2, y + h / 2);
        ctx.closePath();
        ctx.fillStyle = style.color;
        ctx.fill();
        ctx.lineWidth = style.borderWidth;
        ctx.strokeStyle = style.borderColor;
        ctx.stroke();
        ctx.beginPath();
        ctx.moveTo(x + w / 2 - fold, y - h / 2);
        ctx.lineTo(x + w / 2 - fold, y - h / 2 + fold);
        ctx.lineTo(x + w / 2, y - h / 2 + fold);
        ctx.stroke();
      },
      drawExternalLabel: function () {
        var node = network && network.body.nodes[args.id];
        if (!node || !node.labelModule || args.label === undefined) return;
        var selected = args.state.selected, hover = args.state.hover;
        node.labelModule.calculateLabelSize(ctx, selected, hover, x, y, "hanging");
        node.labelModule.draw(ctx, x, y + h / 2 + 0.5 * node.labelModule.size.height, selected, hover, "hanging");
      },
      nodeDimensions: { width: w, height: h },
    };
  }

  // --- state and the vis data -------------------------------------------------------------

  var state = {
    hiddenClasses: Object.create(null),
    relShown: data.relations.map(function (r) { return !r.weak; }),
    pinned: Object.create(null),
    from: "",
    to: "",
    hideOrphans: true,
    colour: "community",
    selected: -1,
  };
  var drawn = new Array(N).fill(false);
  var edgeDrawn = new Array(data.edges.length).fill(false);
  var applied = Object.create(null);
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var network = null;

  function tooltip(i) {
    var box = el("div");
    box.appendChild(el("div", label(i), "tooltip-label"));
    box.appendChild(el("div", className(clsName(i)) + (isHub(i) ? " · " + t("hub") : ""), "tooltip-class"));
    return box;
  }

  function visNode(i, x, y) {
    var shape = data.classes[row(i)[2]].shape;
    var node = {
      id: ids[i],
      label: label(i),
      cls: clsName(i),
      shape: shape === "document" ? "custom" : shape,
      size: sizeOf(i),
      title: tooltip(i),
      hidden: false,
      dimmed: false,
    };
    if (shape === "document") node.ctxRenderer = documentShape;
    if (x !== undefined) { node.x = x; node.y = y; }
    var style = nodeStyle(i, false);
    node.color = style.color;
    node.font = style.font;
    return node;
  }

  function visEdge(k) {
    var e = data.edges[k], r = relation(k);
    var item = {
      id: "e" + k,
      from: ids[e[0]],
      to: ids[e[2]],
      label: edgeLabel(k),
      rel: relationIri(r),
      weak: r.weak,
      dashes: r.weak,
      hidden: false,
      dimmed: false,
    };
    if (hasPhysics) item.length = row(e[0])[4] === row(e[2])[4] && row(e[0])[4] >= 0 ? 90 : 190;
    return item;
  }

  function addNodes(list) {
    var fresh = [];
    list.forEach(function (entry) {
      var i = entry[0];
      if (drawn[i]) return;
      drawn[i] = true;
      fresh.push(visNode(i, entry[1], entry[2]));
    });
    nodes.add(fresh);
    var links = [];
    list.forEach(function (entry) {
      edgesAt[entry[0]].forEach(function (k) {
        var e = data.edges[k];
        if (!edgeDrawn[k] && drawn[e[0]] && drawn[e[2]]) {
          edgeDrawn[k] = true;
          links.push(visEdge(k));
        }
      });
    });
    edges.add(links);
    return fresh.length;
  }

  var start = [];
  for (var i = 0; i < data.drawn; i++) start.push([i, data.positions[i][0], data.positions[i][1]]);
  addNodes(start);

  // --- visibility: classes, relations, dates, orphans -------------------------------------

  function bound(date, end) {
    if (!date) return "";
    if (date.length === 4) return date + (end ? "-12-31" : "-01-01");
    if (date.length === 7) return date + (end ? "-31" : "-01");
    return date;
  }

  function inRange(from, to) {
    if (!state.from || (!from && !to)) return true;
    var s = bound(from || to, false), e = bound(to || from, true);
    return s <= bound(state.to, true) && e >= bound(state.from, false);
  }

  function nodeInRange(i) {
    var r = row(i);
    return r[6] || r[7] ? inRange(r[6], r[7]) : inRange(r[8], r[8]);
  }

  function nodeAllowed(i) { return !state.hiddenClasses[clsName(i)] && nodeInRange(i); }

  function edgeVisible(k) {
    var e = data.edges[k];
    return (state.pinned[k] || state.relShown[e[1]]) && nodeAllowed(e[0]) && nodeAllowed(e[2]) && inRange(e[4], e[5]);
  }

  var shown = { nodes: 0, edges: 0 };
  var visibleEdge = [];

  function refresh() {
    var links = Object.create(null), seen = Object.create(null);
    visibleEdge = [];
    edges.forEach(function (item) {
      var k = Number(item.id.slice(1));
      if (edgeVisible(k)) {
        visibleEdge[k] = true;
        var e = data.edges[k];
        links[e[0]] = (links[e[0]] || 0) + 1;
        links[e[2]] = (links[e[2]] || 0) + 1;
      }
    });
    var nodeChanges = [], edgeChanges = [];
    shown.nodes = 0;
    nodes.forEach(function (item) {
      var i = index[item.id];
      var has = edgesAt[i].some(function (k) { return edgeDrawn[k]; });
      // the selected node is always shown; the focus too unless a filter was chosen against it
      var hidden = i !== state.selected &&
        (!nodeAllowed(i) || (state.hideOrphans && has && !links[i] && i !== data.focus));
      seen[i] = !hidden;
      if (!hidden) shown.nodes++;
      if (item.hidden !== hidden) nodeChanges.push({ id: item.id, hidden: hidden });
    });
    shown.edges = 0;
    edges.forEach(function (item) {
      var k = Number(item.id.slice(1));
      var hidden = !visibleEdge[k];
      if (!hidden) shown.edges++;
      if (item.hidden !== hidden) edgeChanges.push({ id: item.id, hidden: hidden });
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
    restyle();
    counts();
  }

  function neighbourhood(i) {
    var near = Object.create(null);
    near[i] = true;
    edgesAt[i].forEach(function (k) { if (visibleEdge[k]) near[other(k, i)] = true; });
    return near;
  }

  function restyle() {
    var near = state.selected >= 0 ? neighbourhood(state.selected) : null;
    var nodeChanges = [], edgeChanges = [];
    nodes.forEach(function (item) {
      var i = index[item.id];
      var dim = near !== null && !near[i];
      var key = state.colour + (dim ? "-" : "+");
      if (applied[item.id] === key) return;
      applied[item.id] = key;
      var style = nodeStyle(i, dim);
      nodeChanges.push({ id: item.id, color: style.color, font: style.font, dimmed: dim });
    });
    edges.forEach(function (item) {
      var e = data.edges[Number(item.id.slice(1))];
      var dim = near !== null && e[0] !== state.selected && e[2] !== state.selected;
      if (item.dimmed === dim) return;
      edgeChanges.push({
        id: item.id,
        dimmed: dim,
        color: dim ? { color: "#e3e6e6", opacity: 1 } : { color: "#9aa", highlight: "#333" },
        font: { color: dim ? "#d6d6d6" : "#555" },
      });
    });
    if (nodeChanges.length) nodes.update(nodeChanges);
    if (edgeChanges.length) edges.update(edgeChanges);
  }

  function counts() {
    document.getElementById("counts").textContent = t("counts", shown.nodes, nodes.length, shown.edges, edges.length);
  }

  refresh();
  timings.built = performance.now();

  // --- the network --------------------------------------------------------------------------

  var container = document.getElementById("network");
  network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.castkgData = data;
  window.castkgNodes = nodes;
  window.castkgEdges = edges;
  window.castkgNetwork = network;
  window.castkgFirstDraw = null;
  window.castkgStable = false;
  window.castkgTimings = timings;
  timings.network = performance.now();
  network.once("afterDrawing", function () { window.castkgFirstDraw = performance.now(); });

  // the links a focus walk followed (from the focus outwards, not on from a hub) are shown whatever
  // the relation filter, so every entity of the neighbourhood is linked to the focus on screen
  function pinWalk(centre) {
    var level = Object.create(null), frontier = [centre];
    level[centre] = 0;
    while (frontier.length) {
      var next = [];
      frontier.forEach(function (i) {
        if (i !== centre && isHub(i)) return;
        edgesAt[i].forEach(function (k) {
          var j = other(k, i);
          if (!edgeDrawn[k]) return;
          if (level[j] === undefined) { level[j] = level[i] + 1; next.push(j); }
          if (level[j] === level[i] + 1) state.pinned[k] = true;
        });
      });
      frontier = next;
    }
  }

  function settled() {
    if (data.focus >= 0) {
      pinWalk(data.focus);
      select(data.focus, true);
    }
    window.castkgStable = true;
  }

  if (hasPhysics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false, stabilization: { fit: false } } });
      settled();
    });
  } else {
    if (data.focus < 0) network.fit({ animation: false });
    settled();
  }

  // settle newly drawn nodes with a short physics run, the others held still
  function relax(fresh) {
    if (!hasPhysics || !fresh.length) return;
    var isNew = Object.create(null);
    fresh.forEach(function (i) { isNew[ids[i]] = true; });
    var hold = nodes.getIds().filter(function (id) { return !isNew[id]; });
    nodes.update(hold.map(function (id) { return { id: id, fixed: true }; }));
    window.castkgStable = false;
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      nodes.update(hold.map(function (id) { return { id: id, fixed: false }; }));
      window.castkgStable = true;
    });
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(120);
  }

  // --- selection, focus, expansion ----------------------------------------------------------

  var panel = document.getElementById("details");
  var body = document.getElementById("details-body");
  var status = document.getElementById("search-status");

  function placeNear(list, centre) {
    var at = drawn[centre] ? network.getPositions([ids[centre]])[ids[centre]] : network.getViewPosition();
    var radius = 140 + 7 * list.length;
    return list.map(function (i, n) {
      var angle = (2 * Math.PI * n) / Math.max(list.length, 1) + 0.3;
      return [i, Math.round(at.x + radius * Math.cos(angle)), Math.round(at.y + radius * Math.sin(angle))];
    });
  }

  function ensureDrawn(i, near) {
    if (drawn[i]) return;
    var anchor = near;
    if (anchor === undefined || anchor < 0) {
      anchor = -1;
      edgesAt[i].forEach(function (k) {
        var j = other(k, i);
        if (drawn[j] && (anchor < 0 || degree(j) > degree(anchor))) anchor = j;
      });
    }
    addNodes(placeNear([i], anchor));
    grown();
    relax([i]);
  }

  // the legends count what is drawn: recount after nodes were added
  function grown() {
    classLegend();
    relationLegend();
    timeline();
  }

  function pinBetween(i, j) {
    edgesAt[i].forEach(function (k) { if (other(k, i) === j) state.pinned[k] = true; });
  }

  function revealClass(i) {
    var name = clsName(i);
    if (!state.hiddenClasses[name]) return;
    var box = document.querySelector('#class-filter input[data-class="' + CSS.escape(name) + '"]');
    if (box) box.checked = true;
    delete state.hiddenClasses[name];
  }

  function select(i, centre) {
    if (i < 0 || i >= N) return;
    ensureDrawn(i);
    revealClass(i);
    state.selected = i;
    refresh();
    network.selectNodes([ids[i]]);
    if (centre) network.focus(ids[i], { scale: Math.max(network.getScale(), 1.0), animation: false });
    showDetails(i);
  }

  function clearSelection() {
    state.selected = -1;
    network.unselectAll();
    panel.hidden = true;
    panel.removeAttribute("data-node");
    refresh();
  }

  function expand(i) {
    ensureDrawn(i);
    var waiting = [], known = Object.create(null);
    edgesAt[i].forEach(function (k) {
      var j = other(k, i);
      if (!drawn[j] && !known[j]) { known[j] = true; waiting.push(j); }
    });
    waiting.sort(function (a, b) { return degree(b) - degree(a) || (ids[a] < ids[b] ? -1 : 1); });
    var adding = waiting.slice(0, data.expandLimit);
    addNodes(placeNear(adding, i));
    edgesAt[i].forEach(function (k) { if (edgeDrawn[k]) state.pinned[k] = true; });
    adding.forEach(revealClass);
    if (adding.length) grown();
    refresh();
    relax(adding);
    var message = adding.length ? t("expanded", adding.length) : t("shownOnly", label(i));
    if (waiting.length > adding.length) message += " " + t("moreToExpand", waiting.length - adding.length);
    status.textContent = message;
    return adding.length;
  }

  window.castkgFocus = function (id) { select(index[id], true); };
  window.castkgExpand = function (id) { return expand(index[id]); };
  window.castkgSelect = function (id) { select(index[id], false); };

  network.on("click", function (params) {
    if (params.nodes.length) select(index[params.nodes[0]], false);
    else if (!params.edges.length) clearSelection();
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) {
      var i = index[params.nodes[0]];
      expand(i);
      select(i, false);
    }
  });

  // --- the details panel ----------------------------------------------------------------------

  function term(dl, name, content) {
    dl.appendChild(el("dt", name));
    var dd = el("dd");
    if (typeof content === "string") dd.textContent = content; else dd.appendChild(content);
    dl.appendChild(dd);
  }

  function list(items) {
    var ul = el("ul");
    items.forEach(function (item) { ul.appendChild(el("li", item)); });
    return ul;
  }

  function articleText(a) {
    var row = data.articles[a];
    return row[0] + (row[1] ? " · " + row[1] : "") + (row[2] ? " · " + row[2] : "");
  }

  function period(from, to) {
    if (from && to) return t("dateRange", from, to);
    if (from) return t("since", from);
    if (to) return t("until", to);
    return "";
  }

  // a line saying what the page left out, with the command that shows all of it
  function leftOut(text, i, tag) {
    var line = el(tag || "div", text + " ", "sentence");
    line.appendChild(el("code", t("focusOn", label(i))));
    return line;
  }

  function sentencesOf(k, i) {
    var e = data.edges[k], box = el("div");
    e[6].slice(0, 2).forEach(function (s) {
      var line = el("div", data.sentences[s], "sentence");
      if (e[7].length) line.appendChild(el("span", " — " + data.articles[e[7][0]][0] + (data.articles[e[7][0]][1] ? " · " + data.articles[e[7][0]][1] : ""), "source"));
      box.appendChild(line);
    });
    if (e[8]) box.appendChild(leftOut(t("moreSentencesFocus", Math.max(e[6].length - 2, 0) + e[8]), i));
    else if (e[6].length > 2) box.appendChild(el("div", t("moreSentences", e[6].length - 2), "sentence"));
    return box;
  }

  function groups(i) {
    var found = Object.create(null), keys = [];
    edgesAt[i].forEach(function (k) {
      var e = data.edges[k];
      var out = e[0] === i;
      var key = e[1] * 2 + (out ? 0 : 1);
      if (!found[key]) { found[key] = []; keys.push(key); }
      found[key].push(k);
      if (e[0] === e[2] && out) { /* a self-link is listed once */ }
    });
    keys.sort(function (a, b) { return a - b; });
    return keys.map(function (key) { return { rel: Math.floor(key / 2), out: key % 2 === 0, links: found[key] }; });
  }

  function heading(group) {
    var r = data.relations[group.rel];
    if (group.out) return relationName(r);
    return STRINGS[lang].inverse[r.name] || t("incoming", relationName(r));
  }

  function showDetails(i) {
    var d = data.details[i], r = row(i);
    body.replaceChildren();
    body.appendChild(el("h2", label(i)));
    var meta = className(clsName(i)) + (isHub(i) ? " · " + t("hub") : "");
    body.appendChild(el("p", meta, "meta"));
    var actions = el("div", null, "actions");
    var more = el("button", t("expand"));
    more.type = "button";
    more.id = "details-expand";
    more.addEventListener("click", function () { expand(i); });
    actions.appendChild(more);
    body.appendChild(actions);
    var dl = el("dl");
    if (lang === "zh" && r[5]) term(dl, t("englishName"), r[5]);
    if (lang === "en" && r[5]) term(dl, t("chineseName"), r[1]);
    if (d && d.aliases.length) term(dl, t("aliases"), list(d.aliases));
    if (d) d.facts.forEach(function (f) { term(dl, propName(f[0]), f[1]); });
    if (r[8]) term(dl, t("reported"), r[8]);
    body.appendChild(dl);
    if (cut.links) {
      var held = edgesAt[i].reduce(function (n, k) { return n + (data.edges[k][0] === data.edges[k][2] ? 2 : 1); }, 0);
      if (held < degree(i)) body.appendChild(leftOut(t("linksLeftOut", edgesAt[i].length, degree(i)), i));
    }
    var inRows = Object.create(null);
    groups(i).forEach(function (group) {
      var box = el("details", null, "group");
      box.setAttribute("data-relation", relationIri(data.relations[group.rel]));
      box.setAttribute("data-direction", group.out ? "out" : "in");
      box.open = group.links.length <= 12 && !data.relations[group.rel].weak;
      box.appendChild(el("summary", heading(group) + " (" + group.links.length + ")"));
      var ul = el("ul", null, "rows");
      group.links.forEach(function (k) {
        var e = data.edges[k], j = other(k, i);
        var li = el("li");
        var link = el("button", label(j), "node-link");
        link.type = "button";
        link.setAttribute("data-node", ids[j]);
        link.addEventListener("click", function () {
          ensureDrawn(j, i);
          pinBetween(i, j);
          select(j, true);
        });
        li.appendChild(link);
        var note = className(clsName(j));
        if (relation(k).post && e[3]) note = e[3] + (period(e[4], e[5]) ? " · " + period(e[4], e[5]) : "");
        li.appendChild(el("span", note, "row-note"));
        li.appendChild(sentencesOf(k, i));
        e[6].forEach(function (s) { inRows[s] = true; });
        ul.appendChild(li);
      });
      box.appendChild(ul);
      body.appendChild(box);
    });
    if (d) {
      var rest = el("dl");
      if (d.measures.length) {
        var ul = el("ul");
        d.measures.forEach(function (m) {
          var li = el("li", m[0]);
          if (m[1].length) li.appendChild(list(m[1].map(function (s) { return data.sentences[s]; })));
          if (m[2]) li.appendChild(leftOut(t("moreSentencesFocus", m[2]), i));
          ul.appendChild(li);
        });
        term(rest, t("measures"), ul);
      }
      var own = d.evidence.filter(function (s) { return !inRows[s]; });
      if (own.length || d.more) {
        var said = list(own.map(function (s) { return data.sentences[s]; }));
        if (d.more) said.appendChild(leftOut(t("moreSentencesFocus", d.more), i, "li"));
        term(rest, t("evidence"), said);
      }
      if (d.articles.length) {
        var cites = list(d.articles.map(articleText));
        if (d.moreArticles) cites.appendChild(leftOut(t("moreArticles", d.moreArticles), i, "li"));
        term(rest, t("articles"), cites);
      }
      body.appendChild(rest);
    } else {
      body.appendChild(el("p", t("detailsNotEmbedded"), "hint"));
    }
    body.appendChild(el("p", ids[i], "iri"));
    panel.hidden = false;
    panel.setAttribute("data-node", ids[i]);
  }
  window.castkgShowDetails = function (id) { showDetails(index[id]); };

  document.getElementById("details-close").addEventListener("click", clearSelection);

  // --- search -----------------------------------------------------------------------------

  function fold(s) {
    return String(s).normalize("NFKC").toLowerCase().replace(/[“”‘’"'「」『』《》〈〉\s]/g, "");
  }
  var names = [];
  for (var n = 0; n < N; n++) {
    var d = data.details[n];
    [row(n)[1], row(n)[5]].concat(d ? d.aliases : []).forEach(function (name) {
      if (name) names.push({ i: n, name: name, key: fold(name) });
    });
  }
  var datalist = document.getElementById("search-names");
  var listed = Object.create(null);
  names.forEach(function (entry) {
    // suggestions for the drawn entities and those with details: enough to type, cheap to build
    if (listed[entry.name] || !(drawn[entry.i] || data.details[entry.i])) return;
    listed[entry.name] = true;
    var option = el("option");
    option.value = entry.name;
    datalist.appendChild(option);
  });

  function find(query) {
    var key = fold(query);
    if (!key) return -1;
    var tests = [
      function (e) { return e.key === key; },
      function (e) { return e.key.indexOf(key) === 0; },
      function (e) { return e.key.indexOf(key) >= 0; },
    ];
    for (var n = 0; n < tests.length; n++) {
      var hit = names.filter(tests[n]);
      if (hit.length) {
        hit.sort(function (a, b) {
          return (drawn[b.i] ? 1 : 0) - (drawn[a.i] ? 1 : 0) || a.key.length - b.key.length || a.i - b.i;
        });
        return hit[0].i;
      }
    }
    return -1;
  }

  var search = document.getElementById("search");
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var i = find(search.value);
    if (i < 0) {
      status.textContent = t("notFound", search.value);
      return;
    }
    status.textContent = "";
    select(i, true);
  });

  // --- legend and filters ---------------------------------------------------------------------

  function classLegend() {
    var ul = document.getElementById("class-filter");
    ul.replaceChildren();
    var total = Object.create(null);
    nodes.forEach(function (item) { total[item.cls] = (total[item.cls] || 0) + 1; });
    data.classes.forEach(function (c) {
      var item = el("li"), holder = el("label"), box = el("input");
      box.type = "checkbox";
      box.checked = !state.hiddenClasses[c.name];
      box.setAttribute("data-class", c.name);
      box.addEventListener("change", function () { setClassVisible(c.name, box.checked); });
      var swatch = el("span", null, "swatch " + c.shape);
      swatch.style.background = state.colour === "class" ? c.color : "#999";
      holder.appendChild(box);
      holder.appendChild(swatch);
      holder.appendChild(el("span", className(c.name)));
      holder.appendChild(el("span", "(" + (total[c.name] || 0) + ")", "count"));
      item.appendChild(holder);
      ul.appendChild(item);
    });
  }

  function relationLegend() {
    var ul = document.getElementById("relation-filter");
    ul.replaceChildren();
    var total = data.relations.map(function () { return 0; });
    edges.forEach(function (item) { total[data.edges[Number(item.id.slice(1))][1]]++; });
    data.relations.forEach(function (r, n) {
      var item = el("li"), holder = el("label"), box = el("input");
      box.type = "checkbox";
      box.checked = state.relShown[n];
      box.setAttribute("data-relation", relationIri(r));
      box.addEventListener("change", function () { setRelationVisible(relationIri(r), box.checked); });
      holder.appendChild(box);
      holder.appendChild(el("span", null, "line" + (r.weak ? " weak" : "")));
      holder.appendChild(el("span", relationName(r)));
      holder.appendChild(el("span", "(" + total[n] + ")", "count"));
      item.appendChild(holder);
      ul.appendChild(item);
    });
  }

  function communityLegend() {
    var ul = document.getElementById("community-list");
    ul.replaceChildren();
    if (state.colour !== "community") return;
    data.communities.forEach(function (c, n) {
      var item = el("li");
      var swatch = el("span", null, "swatch dot");
      swatch.style.background = c.color;
      item.appendChild(swatch);
      item.appendChild(el("span", t("communityItem", label(c.centre), c.size - 1)));
      item.setAttribute("data-community", String(n));
      item.addEventListener("click", function () {
        var members = nodes.getIds({ filter: function (x) { return !x.hidden && row(index[x.id])[4] === n; } });
        if (members.length) network.fit({ nodes: members, animation: false });
      });
      ul.appendChild(item);
    });
    var rest = el("li", t("otherCommunities"), "hint");
    ul.appendChild(rest);
  }

  function setClassVisible(name, visible) {
    if (visible) delete state.hiddenClasses[name]; else state.hiddenClasses[name] = true;
    var box = document.querySelector('#class-filter input[data-class="' + CSS.escape(name) + '"]');
    if (box) box.checked = visible;
    refresh();
  }
  window.castkgSetClassVisible = setClassVisible;

  function setRelationVisible(iri, visible) {
    data.relations.forEach(function (r, n) {
      if (relationIri(r) === iri) state.relShown[n] = visible;
    });
    if (!visible) {
      Object.keys(state.pinned).forEach(function (k) { if (relationIri(relation(Number(k))) === iri) delete state.pinned[k]; });
    }
    var box = document.querySelector('#relation-filter input[data-relation="' + CSS.escape(iri) + '"]');
    if (box) box.checked = visible;
    refresh();
  }
  window.castkgSetRelationVisible = setRelationVisible;

  document.getElementById("hide-orphans").addEventListener("change", function (event) {
    state.hideOrphans = event.target.checked;
    refresh();
  });

  Array.prototype.forEach.call(document.querySelectorAll('input[name="colour"]'), function (radio) {
    radio.addEventListener("change", function () {
      if (!radio.checked) return;
      state.colour = radio.value;
      restyle();
      classLegend();
      communityLegend();
    });
  });

  // --- the timeline -------------------------------------------------------------------------

  var months = (function () {
    var all = [];
    function add(date) { if (date && date.length >= 7) all.push(date.slice(0, 7)); else if (date) all.push(date + "-01"); }
    data.nodes.forEach(function (r) { add(r[6]); add(r[7]); add(r[8]); });
    data.edges.forEach(function (e) { add(e[4]); add(e[5]); });
    if (!all.length) return [];
    all.sort();
    var first = all[0], last = all[all.length - 1], out = [];
    var y = Number(first.slice(0, 4)), m = Number(first.slice(5, 7));
    while (out.length < 1200) {
      var key = y + "-" + (m < 10 ? "0" : "") + m;
      out.push(key);
      if (key >= last) break;
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    return out;
  })();
  var fromInput = document.getElementById("date-from");
  var toInput = document.getElementById("date-to");

  function timeline() {
    var box = document.getElementById("timeline");
    box.replaceChildren();
    var label = document.getElementById("date-label");
    if (!months.length) {
      label.textContent = t("noDates");
      Array.prototype.forEach.call(document.querySelectorAll("#time-section .range, #time-section .hint"), function (x) {
        x.hidden = true;
      });
      return;
    }
    var perMonth = months.map(function () { return 0; });
    for (var i = 0; i < N; i++) {
      if (!drawn[i]) continue;
      var date = row(i)[6] || row(i)[8];
      if (!date) continue;
      var at = months.indexOf(date.slice(0, 7));
      if (at >= 0) perMonth[at]++;
    }
    var most = Math.max.apply(null, perMonth.concat([1]));
    var from = Number(fromInput.value), to = Number(toInput.value);
    perMonth.forEach(function (count, n) {
      var bar = el("div", null, "bar" + (n >= from && n <= to ? " in" : ""));
      bar.style.height = (count ? 4 + Math.round((36 * count) / most) : 0) + "px";
      bar.title = months[n] + ": " + count;
      box.appendChild(bar);
    });
    label.textContent = t("dateRange", months[from], months[to]);
  }

  function setDateRange(from, to) {
    if (!months.length) return;
    var a = Math.max(0, months.indexOf(from)), b = months.indexOf(to);
    if (b < 0) b = months.length - 1;
    if (a > b) { var swap = a; a = b; b = swap; }
    fromInput.value = String(a);
    toInput.value = String(b);
    applyDates();
  }
  window.castkgSetDateRange = setDateRange;

  function applyDates() {
    var a = Number(fromInput.value), b = Number(toInput.value);
    if (a > b) {
      if (this === fromInput) toInput.value = String(a); else fromInput.value = String(b);
      a = Number(fromInput.value);
      b = Number(toInput.value);
    }
    var whole = a === 0 && b === months.length - 1;
    state.from = whole ? "" : months[a];
    state.to = whole ? "" : months[b];
    timeline();
    refresh();
  }

  if (months.length) {
    fromInput.max = toInput.max = String(months.length - 1);
    fromInput.value = "0";
    toInput.value = String(months.length - 1);
  }
  fromInput.addEventListener("input", applyDates);
  toInput.addEventListener("input", applyDates);

  // --- notes ----------------------------------------------------------------------------------

  function notes() {
    var box = document.getElementById("note");
    box.replaceChildren();
    var lines = [];
    if (data.focus >= 0) lines.push(t("focusNote", label(data.focus)));
    if (data.walled.length) lines.push(t("walledNote", data.walled.map(label).join("、")));
    if (data.maxNodes && data.omitted) lines.push(t("budgetNote", data.drawn, data.total, data.omitted));
    else if (data.omitted) lines.push(t("omittedNote", data.drawn, data.total));
    if (cut.links) lines.push(t("linksNote", cut.linkBudget, cut.links));
    if (data.notEmbedded) lines.push(t("notEmbeddedNote", data.notEmbedded));
    if (data.detailsLeftOut) lines.push(t("detailsLeftOutNote", data.detailsLeftOut));
    if (cut.sentences) lines.push(t("sentencesNote", cut.sentences));
    if (cut.articles) lines.push(t("articlesNote", cut.articles));
    lines = lines.concat(data.notes);
    if (!lines.length) { box.hidden = true; return; }
    lines.forEach(function (line) { box.appendChild(el("p", line)); });
    if (data.omitted || data.cut) {
      var how = el("p", t("howToFocus") + " ");
      how.appendChild(el("code", t("focusCommand")));
      box.appendChild(how);
    }
    box.hidden = false;
  }

  // --- export -------------------------------------------------------------------------------

  function download(name, url) {
    var link = el("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function pngUrl() {
    var source = container.querySelector("canvas");
    var canvas = document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    return canvas.toDataURL("image/png");
  }

  function cell(value) {
    var text = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; // a spreadsheet must not read a cell as a formula
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csv() {
    var lines = [STRINGS[lang].csvHeader.map(cell).join(",")];
    var linked = Object.create(null);
    var shownEdges = edges.get({ filter: function (x) { return !x.hidden; } });
    shownEdges.sort(function (a, b) { return Number(a.id.slice(1)) - Number(b.id.slice(1)); });
    shownEdges.forEach(function (item) {
      var k = Number(item.id.slice(1)), e = data.edges[k];
      linked[e[0]] = linked[e[2]] = true;
      lines.push([
        label(e[0]), className(clsName(e[0])), relationName(relation(k)), label(e[2]), className(clsName(e[2])),
        relation(k).post ? e[3] : "", e[4], e[5], ids[e[0]], ids[e[2]],
      ].map(cell).join(","));
    });
    var alone = nodes.get({ filter: function (x) { return !x.hidden && !linked[index[x.id]]; } });
    alone.sort(function (a, b) { return index[a.id] - index[b.id]; });
    alone.forEach(function (item) {
      var i = index[item.id];
      lines.push([label(i), className(clsName(i)), "", "", "", "", row(i)[6], row(i)[7], ids[i], ""].map(cell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  window.castkgCsv = csv;

  document.getElementById("export-png").addEventListener("click", function () { download("castkg-view.png", pngUrl()); });
  document.getElementById("export-csv").addEventListener("click", function () {
    download("castkg-view.csv", "data:text/csv;charset=utf-8," + encodeURIComponent("\ufeff" + csv()));
  });

  // --- language -------------------------------------------------------------------------------

  function chrome() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-placeholder]"), function (node) {
      node.setAttribute("placeholder", t(node.getAttribute("data-i18n-placeholder")));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-label]"), function (node) {
      node.setAttribute("aria-label", t(node.getAttribute("data-i18n-label")));
    });
  }

  function setLanguage(code) {
    var changed = code !== lang;
    lang = STRINGS[code] ? code : "zh";
    document.documentElement.lang = lang;
    chrome();
    classLegend();
    relationLegend();
    communityLegend();
    timeline();
    notes();
    if (changed) {
      nodes.update(nodes.getIds().map(function (id) { return { id: id, label: label(index[id]), title: tooltip(index[id]) }; }));
      edges.update(edges.getIds().map(function (id) { return { id: id, label: edgeLabel(Number(id.slice(1))) }; }));
    }
    counts();
    if (!panel.hidden && state.selected >= 0) showDetails(state.selected);
  }
  window.castkgSetLanguage = setLanguage;
  document.getElementById("language").addEventListener("click", function () { setLanguage(lang === "zh" ? "en" : "zh"); });

  // --- keyboard -------------------------------------------------------------------------------

  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) && event.target.type !== "checkbox" &&
      event.target.type !== "radio" && event.target.type !== "range";
    if (event.key === "Escape") {
      if (typing) event.target.blur();
      clearSelection();
    } else if (event.key === "/" && !typing) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  setLanguage("zh");
  timings.ready = performance.now();
})();
