-- Drives Neovim (headless) as a user would after the README's setup (sourced as init.lua, with
-- the server's path filled in): the Go file given on the command line is open, the FileType
-- autocommand has started MapScope. Waits for its diagnostics, asks for code actions on the
-- nil-map write and applies the preferred one, asks for a hover and code lenses on the make, and
-- writes what it got as JSON to $MAPSCOPE_OUT for test/neovim.test.ts to check. Always quits.
local out = os.getenv('MAPSCOPE_OUT')
local result = { nvim = vim.version() }

local function client()
  for _, c in pairs(vim.lsp.get_active_clients()) do
    if c.name == 'mapscope' then return c end
  end
end

local function request(bufnr, method, params)
  local responses = vim.lsp.buf_request_sync(bufnr, method, params, 20000) or {}
  for _, r in pairs(responses) do
    if r.error then error(method .. ': ' .. vim.inspect(r.error)) end
    return r.result
  end
end

local function main()
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) >= 2 end, 50) then
    error('no diagnostics from mapscope in 20 s; clients: ' .. vim.inspect(vim.tbl_map(function(c) return c.name end, vim.lsp.get_active_clients())))
  end
  local c = client()
  result.client = { name = c.name, server = c.server_capabilities and c.server_capabilities.hoverProvider ~= nil }
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, code = d.code, source = d.source, severity = d.severity, message = d.message })
  end

  -- The code actions for the nil-map write (line 5), with the diagnostic as the server sent it.
  local line = 4
  local diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, line)
  local actions = request(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = diags[1].range,
    context = { diagnostics = diags, only = { 'quickfix' } },
  })
  result.actions = {}
  local preferred
  for _, a in ipairs(actions) do
    table.insert(result.actions, { title = a.title, kind = a.kind, isPreferred = a.isPreferred == true })
    if a.isPreferred then preferred = a end
  end
  vim.lsp.util.apply_workspace_edit(preferred.edit, 'utf-16')
  result.fixed = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  -- The server analyses the edited buffer: the nil-map write is gone, the hint finding stays.
  vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'nil-map-write' then return false end
    end
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  result.after = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do table.insert(result.after, d.code) end

  -- Hover and code lens on `labels := make(map[int]string)`, now on line 5 (0-based).
  local hover = request(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = 5, character = 13 } })
  result.hover = hover and hover.contents and hover.contents.value
  result.lenses = {}
  for _, l in ipairs(request(bufnr, 'textDocument/codeLens', { textDocument = { uri = uri } }) or {}) do
    table.insert(result.lenses, { line = l.range.start.line, title = l.command and l.command.title })
  end
end

local ok, err = pcall(main)
if not ok then result.error = tostring(err) end
local f = assert(io.open(out, 'w'))
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qall!')
