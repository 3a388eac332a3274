#compdef clubd

__clubd_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__clubd_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __clubd_complete "${completions[@]:0:-1}"
    fi
}

__clubd_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_clubd() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'serve:Serve the API over TLS until SIGTERM or SIGINT; SIGHUP reloads the certificate.'
            'migrate:Create or upgrade the database schema, then exit.'
            'token:Issue or revoke bearer tokens on the server itself.'
            'person:Invite people to the console on the server itself.'
            'journal:Work with the hash-chained journal.'
            'backup:Copy the live database with SQLite'\''s online backup, and its evidence files beside it, while clubd keeps serving.'
            'restore:Replace a stopped daemon'\''s database by a backup, once its integrity, schema, journal and files have been checked.'
            'demo:Load the reference case (all eight steps) into a fresh data folder, then exit.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        serve|migrate|token|person|journal|backup|restore|demo|help)
            "_clubd_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clubd_serve() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Configuration file (default\: Config/clubd.json when it exists).]:config:'
        '--data[Data folder (database, TLS material, bootstrap token).]:data:'
        '--host[Address to listen on (default 127.0.0.1).]:host:'
        '--port[TLS port (default 8443; 0 picks a free port).]:port:'
        '--cert[PEM certificate chain (with --key).]:cert:'
        '--key[PEM private key (with --cert).]:key:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clubd_migrate() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Configuration file (default\: Config/clubd.json when it exists).]:config:'
        '--data[Data folder (database, TLS material, bootstrap token).]:data:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clubd_token() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'issue:Issue a token; prints only the token on standard output.'
            'revoke:Revoke a token by its id.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        issue|revoke)
            "_clubd_token_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clubd_token_issue() {
    local -i ret=1
    local -ar ___role=('coordinator' 'studio' 'client')
    local -ar arg_specs=(
        '--config[Configuration file (default\: Config/clubd.json when it exists).]:config:'
        '--data[Data folder (database, TLS material, bootstrap token).]:data:'
        '--role[coordinator, studio or client.]:role:{__clubd_complete "${___role[@]}"}'
        '--head[Make a coordinator the head coordinator.]'
        '--studio[The studio a studio token is bound to.]:studio:'
        '--client[The client a client token is bound to.]:client:'
        '--name[Who holds the token.]:name:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clubd_token_revoke() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Configuration file (default\: Config/clubd.json when it exists).]:config:'
        '--data[Data folder (database, TLS material, bootstrap token).]:data:'
        ':id:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clubd_person() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'invite:Register a person and print only their invitation link on standard output (valid 7 days, single use).'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        invite)
            "_clubd_person_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clubd_person_invite() {
    local -i ret=1
    local -ar ___role=('coordinator' 'studio' 'client')
    local -ar arg_specs=(
        '--config[Configuration file (default\: Config/clubd.json when it exists).]:config:'
        '--data[Data folder (database, TLS material, bootstrap token).]:data:'
        '--email[Their e-mail address, with which they will sign in.]:email:'
        '--role[coordinator, studio or client.]:role:{__clubd_complete "${___role[@]}"}'
        '--head[Make a coordinator the head coordinator.]'
        '--studio[The studio a studio'\''s person is bound to.]:studio:'
        '--client[The client a client'\''s person is bound to.]:client:'
        '--name[Their name.]:name:'
        '--language[ru or en (default\: ru).]:language:'
        '--time-zone[An IANA time zone name (default\: Europe/Moscow).]:time-zone:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clubd_journal() {
    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'verify:Check every event'\''s hash and link; exits 1 naming the first broken event (or evidence file, for a case file).'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        verify)
            "_clubd_journal_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_clubd_journal_verify() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Configuration file (default\: Config/clubd.json when it exists).]:config:'
        '--data[Data folder (database, TLS material, bootstrap token).]:data:'
        '--case-file[Check an exported case file offline instead of the database, and the evidence files beside it.]:case-file:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clubd_backup() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Configuration file (default\: Config/clubd.json when it exists).]:config:'
        '--data[Data folder (database, TLS material, bootstrap token).]:data:'
        '--to[The file to write; it must not exist yet, nor FILE-files, where the evidence files go.]:to:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clubd_restore() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Configuration file (default\: Config/clubd.json when it exists).]:config:'
        '--data[Data folder (database, TLS material, bootstrap token).]:data:'
        '--from[The backup that `clubd backup --to FILE` wrote; its evidence files are read from FILE-files.]:from:'
        '--from-replica[Litestream'\''s configuration (e.g. /etc/litestream.yml)\: restore the database from its replica instead of a backup.]:from-replica:'
        '--timestamp[With --from-replica\: the database as it was at this UTC time (RFC 3339, e.g. 2026-12-06T21\:00\:00Z).]:timestamp:'
        '--litestream[With --from-replica\: the litestream executable.]:litestream:'
        '--files[With --from-replica\: the folder of the evidence files the database names (default\: the data folder'\''s files/).]:files:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clubd_demo() {
    local -i ret=1
    local -ar arg_specs=(
        '--config[Configuration file (default\: Config/clubd.json when it exists).]:config:'
        '--data[Data folder (database, TLS material, bootstrap token).]:data:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_clubd_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _clubd ]]; then
    _clubd "${@}"
else
    compdef _clubd clubd
fi
