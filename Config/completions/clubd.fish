function __clubd_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __clubd_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __clubd_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __clubd_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __clubd_parse_tokens -S
    set -l unparsed_tokens (__clubd_tokens -pc)
    switch $unparsed_tokens[1]
    case 'clubd'
        __clubd_parse_subcommand 0 'h/help'
        switch $unparsed_tokens[1]
        case 'serve'
            __clubd_parse_subcommand 0 'config=' 'data=' 'host=' 'port=' 'cert=' 'key=' 'h/help'
        case 'migrate'
            __clubd_parse_subcommand 0 'config=' 'data=' 'h/help'
        case 'token'
            __clubd_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'issue'
                __clubd_parse_subcommand 0 'config=' 'data=' 'role=' 'head' 'studio=' 'client=' 'name=' 'h/help'
            case 'revoke'
                __clubd_parse_subcommand 1 'config=' 'data=' 'h/help'
            end
        case 'person'
            __clubd_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'invite'
                __clubd_parse_subcommand 0 'config=' 'data=' 'email=' 'role=' 'head' 'studio=' 'client=' 'name=' 'language=' 'time-zone=' 'h/help'
            end
        case 'journal'
            __clubd_parse_subcommand 0 'h/help'
            switch $unparsed_tokens[1]
            case 'verify'
                __clubd_parse_subcommand 0 'config=' 'data=' 'case-file=' 'h/help'
            end
        case 'backup'
            __clubd_parse_subcommand 0 'config=' 'data=' 'to=' 'h/help'
        case 'restore'
            __clubd_parse_subcommand 0 'config=' 'data=' 'from=' 'from-replica=' 'timestamp=' 'litestream=' 'files=' 'h/help'
        case 'demo'
            __clubd_parse_subcommand 0 'config=' 'data=' 'h/help'
        case 'help'
            __clubd_parse_subcommand -r 1 
        end
    end
end

function __clubd_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __clubd_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __clubd_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __clubd_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__clubd_tokens -p)
    if test -z "$(__clubd_tokens -t)"
        set -l index (count (__clubd_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'clubd' -f
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd" -eq 1' -fa 'serve' -d 'Serve the API over TLS until SIGTERM or SIGINT; SIGHUP reloads the certificate.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd" -eq 1' -fa 'migrate' -d 'Create or upgrade the database schema, then exit.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd" -eq 1' -fa 'token' -d 'Issue or revoke bearer tokens on the server itself.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd" -eq 1' -fa 'person' -d 'Invite people to the console on the server itself.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd" -eq 1' -fa 'journal' -d 'Work with the hash-chained journal.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd" -eq 1' -fa 'backup' -d 'Copy the live database with SQLite\'s online backup, and its evidence files beside it, while clubd keeps serving.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd" -eq 1' -fa 'restore' -d 'Replace a stopped daemon\'s database by a backup, once its integrity, schema, journal and files have been checked.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd" -eq 1' -fa 'demo' -d 'Load the reference case (all eight steps) into a fresh data folder, then exit.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd serve" config' -l 'config' -d 'Configuration file (default: Config/clubd.json when it exists).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd serve" data' -l 'data' -d 'Data folder (database, TLS material, bootstrap token).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd serve" host' -l 'host' -d 'Address to listen on (default 127.0.0.1).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd serve" port' -l 'port' -d 'TLS port (default 8443; 0 picks a free port).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd serve" cert' -l 'cert' -d 'PEM certificate chain (with --key).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd serve" key' -l 'key' -d 'PEM private key (with --cert).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd migrate" config' -l 'config' -d 'Configuration file (default: Config/clubd.json when it exists).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd migrate" data' -l 'data' -d 'Data folder (database, TLS material, bootstrap token).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd migrate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd token" -eq 1' -fa 'issue' -d 'Issue a token; prints only the token on standard output.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd token" -eq 1' -fa 'revoke' -d 'Revoke a token by its id.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token issue" config' -l 'config' -d 'Configuration file (default: Config/clubd.json when it exists).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token issue" data' -l 'data' -d 'Data folder (database, TLS material, bootstrap token).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token issue" role' -l 'role' -d 'coordinator, studio or client.' -rfka 'coordinator studio client'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token issue" head' -l 'head' -d 'Make a coordinator the head coordinator.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token issue" studio' -l 'studio' -d 'The studio a studio token is bound to.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token issue" client' -l 'client' -d 'The client a client token is bound to.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token issue" name' -l 'name' -d 'Who holds the token.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token issue" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token revoke" config' -l 'config' -d 'Configuration file (default: Config/clubd.json when it exists).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token revoke" data' -l 'data' -d 'Data folder (database, TLS material, bootstrap token).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd token revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd person" -eq 1' -fa 'invite' -d 'Register a person and print only their invitation link on standard output (valid 7 days, single use).'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" config' -l 'config' -d 'Configuration file (default: Config/clubd.json when it exists).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" data' -l 'data' -d 'Data folder (database, TLS material, bootstrap token).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" email' -l 'email' -d 'Their e-mail address, with which they will sign in.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" role' -l 'role' -d 'coordinator, studio or client.' -rfka 'coordinator studio client'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" head' -l 'head' -d 'Make a coordinator the head coordinator.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" studio' -l 'studio' -d 'The studio a studio\'s person is bound to.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" client' -l 'client' -d 'The client a client\'s person is bound to.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" name' -l 'name' -d 'Their name.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" language' -l 'language' -d 'ru or en (default: ru).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" time-zone' -l 'time-zone' -d 'An IANA time zone name (default: Europe/Moscow).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd person invite" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd journal" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_positional "clubd journal" -eq 1' -fa 'verify' -d 'Check every event\'s hash and link; exits 1 naming the first broken event (or evidence file, for a case file).'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd journal verify" config' -l 'config' -d 'Configuration file (default: Config/clubd.json when it exists).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd journal verify" data' -l 'data' -d 'Data folder (database, TLS material, bootstrap token).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd journal verify" case-file' -l 'case-file' -d 'Check an exported case file offline instead of the database, and the evidence files beside it.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd journal verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd backup" config' -l 'config' -d 'Configuration file (default: Config/clubd.json when it exists).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd backup" data' -l 'data' -d 'Data folder (database, TLS material, bootstrap token).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd backup" to' -l 'to' -d 'The file to write; it must not exist yet, nor FILE-files, where the evidence files go.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd backup" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd restore" config' -l 'config' -d 'Configuration file (default: Config/clubd.json when it exists).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd restore" data' -l 'data' -d 'Data folder (database, TLS material, bootstrap token).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd restore" from' -l 'from' -d 'The backup that `clubd backup --to FILE` wrote; its evidence files are read from FILE-files.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd restore" from-replica' -l 'from-replica' -d 'Litestream\'s configuration (e.g. /etc/litestream.yml): restore the database from its replica instead of a backup.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd restore" timestamp' -l 'timestamp' -d 'With --from-replica: the database as it was at this UTC time (RFC 3339, e.g. 2026-12-06T21:00:00Z).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd restore" litestream' -l 'litestream' -d 'With --from-replica: the litestream executable.' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd restore" files' -l 'files' -d 'With --from-replica: the folder of the evidence files the database names (default: the data folder\'s files/).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd restore" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd demo" config' -l 'config' -d 'Configuration file (default: Config/clubd.json when it exists).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd demo" data' -l 'data' -d 'Data folder (database, TLS material, bootstrap token).' -rfka ''
complete -c 'clubd' -n '__clubd_should_offer_completions_for_flags_or_options "clubd demo" h help' -s 'h' -l 'help' -d 'Show help information.'
