# Completes one command line in a real interactive zsh (a pseudo-terminal, compinit, the completion system) and
# prints every candidate the completion functions offered, one per line, after a line `== LINE` for each line.
# Usage: zsh -f zsh-complete.zsh fpath|source SCRIPT 'kdumpcheck check --' ['kdumpcheck ch'...]
#   fpath:  SCRIPT is installed as _kdumpcheck in a directory of $fpath before compinit (the #compdef path)
#   source: SCRIPT is sourced after compinit (the `source <(kdumpcheck completion zsh)` path)
zmodload zsh/zpty || exit 3
mode=$1 script=$2
shift 2
dir=$(mktemp -d) || exit 3
mkdir $dir/fn
if [[ $mode == fpath ]]; then cp -- $script $dir/fn/_kdumpcheck; fi
cat > $dir/setup.zsh <<SETUP
PS1='' PS2='' RPS1='' HISTFILE=/dev/null
fpath=($dir/fn \$fpath)
autoload -Uz compinit && compinit -u -d $dir/zcompdump
[[ $mode == source ]] && source ${(q)script}
typeset -ga __hits
# Every candidate added goes through compadd: keep a copy of what it adds (calls that only ask for matches, -O -A -D, pass).
compadd() {
  if (( \${@[(I)-[OAD]]} )); then builtin compadd "\$@"; return; fi
  local -a added
  builtin compadd -O added "\$@"
  __hits+=(\$added)
  builtin compadd "\$@"
}
__capture() { __hits=(); zle complete-word; print -rl -- \$__hits > $dir/hits; : > $dir/done }
zle -N __capture
bindkey '^T' __capture
SETUP
zpty z zsh -f -i
zpty -w z "source $dir/setup.zsh"
for line in "$@"; do
  rm -f -- $dir/done $dir/hits
  zpty -w -n z "$line"$'\x14'
  for i in {1..600}; do
    [[ -e $dir/done ]] && break
    zpty -r -t z junk 2>/dev/null  # drain the terminal so the shell never blocks writing to it
    sleep 0.05
  done
  if [[ ! -e $dir/done ]]; then print -u2 "zsh-complete: no completion of '$line' within 30 s"; zpty -d z; rm -rf -- $dir; exit 4; fi
  print -r -- "== $line"
  sort -u $dir/hits
  zpty -w -n z $'\x15'  # ^U: clear the line for the next one
done
zpty -d z
# (Not an EXIT trap: the pty's forked shell would inherit it and could run it first.)
rm -rf -- $dir
